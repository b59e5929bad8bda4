using System.Runtime.InteropServices;

namespace ModelC.Runtime.Execution;

/// <summary>Kernels exported by a shared library that <c>modelc build</c> wrote.</summary>
public sealed class SharedLibraryKernels : IKernelLibrary
{
    private nint _handle;

    /// <summary>Loads the library at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidOperationException">The file cannot be loaded as a shared library.</exception>
    public SharedLibraryKernels(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no compiled model at '{path}'", path);
        }
        try
        {
            _handle = NativeLibrary.Load(Path.GetFullPath(path));
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException($"cannot load '{path}': {e.Message}", e);
        }
    }

    /// <summary>Whether the library exports <paramref name="symbol"/>.</summary>
    public bool Exports(string symbol)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        return NativeLibrary.TryGetExport(_handle, symbol, out _);
    }

    /// <inheritdoc/>
    public nint GetKernel(string symbol)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        return NativeLibrary.TryGetExport(_handle, symbol, out var address)
            ? address
            : throw new InvalidOperationException($"the compiled model has no kernel '{symbol}'; is the manifest from another build?");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_handle != 0)
        {
            NativeLibrary.Free(_handle);
            _handle = 0;
        }
    }
}
