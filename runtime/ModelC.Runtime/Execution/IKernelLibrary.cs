namespace ModelC.Runtime.Execution;

/// <summary>Where kernel code comes from: a shared library built by <c>modelc build</c>, or the compiler's JIT.</summary>
public interface IKernelLibrary : IDisposable
{
    /// <summary>The address of the exported kernel <paramref name="symbol"/>.</summary>
    /// <exception cref="InvalidOperationException">The code has no such symbol.</exception>
    nint GetKernel(string symbol);
}
