using System.Collections.Immutable;
using System.Text;
using ModelC.Backend.Kernels;
using ModelC.Backend.Targets;
using ModelC.Gpu.Codegen;

namespace ModelC.Gpu;

/// <summary>
/// The GPU target's code generator: a kernel's "object" is its C# source (UTF-8), cached like the
/// CPU's objects; <see cref="GpuTarget.Load"/> and <see cref="GpuTarget.Link"/> compile a
/// program's sources together, since Roslyn compiles one assembly far faster than many.
/// </summary>
internal sealed class GpuCodeGenerator : IKernelCodeGenerator
{
    /// <inheritdoc/>
    public ObjectCode Compile(Kernel kernel, ImmutableArray<string> symbols) => new(Encoding.UTF8.GetBytes(KernelSourceWriter.Write(kernel, symbols)), Times: null);

    /// <inheritdoc/>
    public ObjectCode Compile(SupportRoutine routine) =>
        throw new InvalidOperationException($"the GPU target has no support routines (asked for '{routine.Name}')");

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
