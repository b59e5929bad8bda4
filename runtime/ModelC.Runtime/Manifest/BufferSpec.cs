using System.Collections.Immutable;

namespace ModelC.Runtime.Manifest;

/// <summary>
/// One tensor in memory. Shapes are row-major; a dimension is a number or the name of a symbol
/// bound at load time. Temporaries carry the span of kernels during which they are live, so the
/// runtime can place them in one arena with reuse.
/// </summary>
/// <param name="Id">The index of this buffer in <see cref="ModelManifest.Buffers"/>.</param>
/// <param name="Type">The element type.</param>
/// <param name="Shape">The dimensions: decimal sizes or symbol names.</param>
/// <param name="Temporary">True for intermediate values that only live between kernels.</param>
/// <param name="FirstKernel">The first kernel that writes or reads the buffer (temporaries).</param>
/// <param name="LastKernel">The last kernel that reads it (temporaries).</param>
public sealed record BufferSpec(int Id, ElementType Type, ImmutableArray<string> Shape, bool Temporary, int FirstKernel, int LastKernel)
{
    /// <summary>The size of one element in bytes.</summary>
    public int ElementSize => Type == ElementType.Bool ? 1 : 4;
}
