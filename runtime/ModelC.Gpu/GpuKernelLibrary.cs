using System.Reflection;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Gpu.Runtime;

/// <summary>
/// A GPU program's kernels: the .NET assembly the GPU target compiles (see <see cref="GpuKernelConvention"/>).
/// It holds IL, not device code; <see cref="GpuDevice"/> has ILGPU compile each kernel for its
/// accelerator when the kernel is first prepared.
/// </summary>
public sealed class GpuKernelLibrary : IKernelLibrary
{
    private readonly Assembly _assembly;
    private readonly Dictionary<string, GpuKernelCode> _kernels = [];

    /// <summary>The kernels of <paramref name="assembly"/>.</summary>
    public GpuKernelLibrary(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        _assembly = assembly;
    }

    /// <summary>The kernels of the assembly image <paramref name="image"/> (what the GPU target compiles), loaded into this process.</summary>
    public static GpuKernelLibrary FromImage(byte[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new GpuKernelLibrary(Assembly.Load(image));
    }

    /// <summary>
    /// The kernels of <paramref name="image"/>, loaded once they are known to be the ones built with
    /// <paramref name="manifest"/>: the manifest hash the assembly was stamped with must be its hash.
    /// <paramref name="origin"/> names the model in the error.
    /// </summary>
    /// <exception cref="InvalidDataException">The assembly was built with another manifest, or with none.</exception>
    public static GpuKernelLibrary Checked(ModelManifest manifest, byte[] image, string origin)
    {
        var kernels = FromImage(image);
        var expected = Convert.ToHexStringLower(ManifestHash.Of(manifest));
        if (kernels.ManifestSha256 != expected)
        {
            throw new InvalidDataException(
                $"the GPU manifest of {origin} does not match its kernel assembly (built with a manifest of SHA-256 {kernels.ManifestSha256 ?? "none"}, this one has {expected}); the manifest was edited or is from another build");
        }
        return kernels;
    }

    /// <summary>The manifest hash the assembly was stamped with at build (<see cref="GpuKernelConvention.ManifestStampClass"/>); null if it carries none.</summary>
    public string? ManifestSha256 =>
        _assembly.GetType($"{GpuKernelConvention.Namespace}.{GpuKernelConvention.ManifestStampClass}")?.GetField(GpuKernelConvention.ManifestStampField)?.GetRawConstantValue() as string;

    /// <summary>The code of kernel <paramref name="symbol"/>.</summary>
    /// <exception cref="InvalidOperationException">The assembly has no such kernel.</exception>
    public GpuKernelCode Kernel(string symbol)
    {
        lock (_kernels)
        {
            if (!_kernels.TryGetValue(symbol, out var code))
            {
                var type = _assembly.GetType($"{GpuKernelConvention.Namespace}.{symbol}")
                    ?? throw new InvalidOperationException($"the GPU kernel assembly has no kernel '{symbol}'");
                code = new GpuKernelCode(symbol, type);
                _kernels[symbol] = code;
            }
            return code;
        }
    }

    /// <summary>GPU kernels have no native address: <see cref="GpuDevice"/> looks them up with <see cref="Kernel"/>.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public nint GetKernel(string symbol) =>
        throw new InvalidOperationException($"kernel '{symbol}' is a GPU kernel: it has no native address (GpuKernelLibrary.Kernel gives its code)");

    /// <inheritdoc/>
    public void Dispose()
    {
        // The assembly stays loaded while ILGPU's compiled kernels refer to it.
    }
}
