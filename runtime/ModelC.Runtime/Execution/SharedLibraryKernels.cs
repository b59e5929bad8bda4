using System.Runtime.InteropServices;

namespace ModelC.Runtime.Execution;

/// <summary>Kernels exported by a shared library that <c>modelc build</c> wrote; unloaded when disposed, or by the garbage collector when never disposed.</summary>
public sealed class SharedLibraryKernels : IKernelLibrary
{
    private readonly LibraryHandle _handle;

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
            _handle = new LibraryHandle(NativeLibrary.Load(Path.GetFullPath(path)));
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException($"cannot load '{path}': {e.Message}", e);
        }
    }

    /// <summary>Whether the library exports <paramref name="symbol"/>.</summary>
    public bool Exports(string symbol)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return NativeLibrary.TryGetExport(_handle.DangerousGetHandle(), symbol, out _);
    }

    /// <summary>The first <paramref name="length"/> bytes of the data the library exports as <paramref name="symbol"/>, or null when it exports no such symbol.</summary>
    public byte[]? ReadExport(string symbol, int length)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!NativeLibrary.TryGetExport(_handle.DangerousGetHandle(), symbol, out var address))
        {
            return null;
        }
        var bytes = new byte[length];
        Marshal.Copy(address, bytes, 0, length);
        return bytes;
    }

    /// <inheritdoc/>
    public nint GetKernel(string symbol)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return NativeLibrary.TryGetExport(_handle.DangerousGetHandle(), symbol, out var address)
            ? address
            : throw new InvalidOperationException($"the compiled model has no kernel '{symbol}'; is the manifest from another build?");
    }

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();

    private sealed class LibraryHandle : SafeHandle
    {
        public LibraryHandle(nint handle)
            : base(0, ownsHandle: true) => SetHandle(handle);

        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle()
        {
            NativeLibrary.Free(handle);
            return true;
        }
    }
}
