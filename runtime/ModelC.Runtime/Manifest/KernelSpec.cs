using System.Collections.Immutable;

namespace ModelC.Runtime.Manifest;

/// <summary>
/// One kernel of the schedule. Its native entry point has the signature
/// <c>void name(void** buffers, const int64_t* symbols, int64_t begin, int64_t end, void* scratch)</c>
/// and computes iterations <c>[begin, end)</c> of its parallel loop, whose length
/// <c>int64_t name_extent(const int64_t* symbols)</c> returns; the runtime splits that loop over threads.
/// </summary>
/// <param name="Symbol">The exported function name.</param>
/// <param name="Buffers">The buffer ids passed in <c>buffers</c>, output first.</param>
/// <param name="Description">What the kernel computes, for profiles and humans.</param>
public sealed record KernelSpec(string Symbol, ImmutableArray<int> Buffers, string Description)
{
    /// <summary>The suffix of the function that returns the parallel loop's length.</summary>
    public const string ExtentSuffix = "_extent";
}
