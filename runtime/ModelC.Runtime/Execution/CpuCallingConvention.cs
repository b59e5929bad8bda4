namespace ModelC.Runtime.Execution;

/// <summary>
/// How the CPU runs a kernel. Each kernel exports two native functions:
/// <c>void k(void** buffers, const int64_t* symbols, int64_t begin, int64_t end, void* scratch)</c>,
/// which computes iterations <c>[begin, end)</c> of its parallel loop with the buffer addresses in
/// the manifest's order (output first), and <c>int64_t k_extent(const int64_t* symbols)</c>, which
/// returns that loop's length. <see cref="CpuDevice"/> splits the loop over its threads and hands each
/// its own scratch memory. The compiler's CPU target emits exactly this.
/// </summary>
public static class CpuCallingConvention
{
    /// <summary>The suffix of the function that returns the parallel loop's length.</summary>
    public const string ExtentSuffix = "_extent";
}
