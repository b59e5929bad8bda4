namespace ModelC.Gpu.Runtime;

/// <summary>
/// How a GPU program's kernel assembly is laid out, shared by the code generator (compiler/ModelC.Gpu)
/// and <see cref="GpuKernelLibrary"/>: one static class per kernel, named by its symbol in
/// <see cref="Namespace"/>, with an ILGPU kernel <see cref="RunMethod"/> and a host method
/// <see cref="ExtentMethod"/>.
/// </summary>
public static class GpuKernelConvention
{
    /// <summary>The namespace of the kernel classes.</summary>
    public const string Namespace = "ModelC.Gpu.Kernels";

    /// <summary>
    /// <c>static void Run(ArrayView&lt;byte&gt; buffer0, …, ArrayView&lt;long&gt; symbols)</c>: an explicitly
    /// grouped ILGPU kernel over the kernel's buffers (output first, as the manifest lists them) and
    /// the values of the symbolic dimensions. Map kernels loop over their elements grid-stride; a
    /// tiled GEMM loops over its output tiles group by group. Any grid covers the work.
    /// </summary>
    public const string RunMethod = "Run";

    /// <summary><c>static long Extent(long[] symbols)</c>: how many work items (elements, or output tiles of a GEMM) the kernel has.</summary>
    public const string ExtentMethod = "Extent";

    /// <summary>
    /// <c>const int TileDepth</c>, on tiled GEMM kernels only: the depth (BK) of the A and B tiles a
    /// group stages in shared memory per step. Such a kernel runs on a two-dimensional group of
    /// any size; each thread keeps a <see cref="ThreadRowsField"/> × <see cref="ThreadColumnsField"/>
    /// block of sums in registers, so a group computes a (rows × threads in y) × (columns × threads in x)
    /// output tile and needs (tile rows + tile columns) × depth floats of dynamic shared memory.
    /// </summary>
    public const string TileDepthField = "TileDepth";

    /// <summary><c>const int ThreadRows</c> on tiled GEMM kernels: output rows per thread (TM).</summary>
    public const string ThreadRowsField = "ThreadRows";

    /// <summary><c>const int ThreadColumns</c> on tiled GEMM kernels: output columns per thread (TN).</summary>
    public const string ThreadColumnsField = "ThreadColumns";

    /// <summary>
    /// <c>const int Outputs</c> on multi-output map kernels: how many of the first arguments the
    /// kernel writes (absent: the first one only).
    /// </summary>
    public const string OutputsField = "Outputs";

    /// <summary>
    /// <c>static class ManifestStamp</c> with <c>const string Sha256</c> (<see cref="ManifestStampField"/>),
    /// in the assemblies <c>modelc build</c> writes: the <see cref="ModelC.Runtime.Manifest.ManifestHash"/>
    /// of the manifest the kernels were built with, in lowercase hex, which the loader compares with
    /// the manifest it was handed.
    /// </summary>
    public const string ManifestStampClass = "ManifestStamp";

    /// <summary>The stamp's field (see <see cref="ManifestStampClass"/>).</summary>
    public const string ManifestStampField = "Sha256";
}
