using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace ModelC.Gpu.Runtime;

/// <summary>
/// Compiles GPU kernels to PTX for a CUDA architecture without a GPU: what a CUDA accelerator does
/// when it loads them, done ahead so that every kernel is checked on machines without one.
/// One ILGPU context per compiler; not thread-safe.
/// </summary>
public sealed class PtxCompiler : IDisposable
{
    private readonly Context _context;
    private readonly PTXBackend _backend;

    /// <summary>A compiler for compute capability <paramref name="major"/>.<paramref name="minor"/> (8.0: A100, 9.0: H100).</summary>
    /// <exception cref="ArgumentOutOfRangeException">ILGPU does not know the architecture.</exception>
    public PtxCompiler(int major, int minor)
    {
        var architecture = new CudaArchitecture(major, minor);
        _context = GpuAccelerator.CreateContext();
        // PTX ISA 8.3 covers sm_90 and everything before it.
        _backend = new PTXBackend(_context, new CudaCapabilityContext(architecture), architecture, CudaInstructionSet.ISA_83, nvvmAPI: null);
    }

    /// <summary>The PTX module of kernel <paramref name="kernel"/>.</summary>
    /// <exception cref="ILGPU.InternalCompilerException">ILGPU cannot compile the kernel for the architecture.</exception>
    public string Compile(GpuKernelCode kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var compiled = (PTXCompiledKernel)_backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(kernel.Method), KernelSpecialization.Empty);
        return compiled.PTXAssembly;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _backend.Dispose();
        _context.Dispose();
    }
}
