using System.Runtime.InteropServices;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Execution;

/// <summary>
/// The host as a compute device: buffers are host memory, copies are memory copies, and a launch
/// runs the kernel's parallel loop on a <see cref="KernelThreadPool"/> in the
/// <see cref="CpuCallingConvention"/>. Launches are synchronous. Memory and threads are freed by
/// <see cref="Dispose"/>, or by the garbage collector when a device is never disposed.
/// </summary>
public sealed unsafe class CpuDevice : IComputeDevice
{
    private readonly KernelThreadPool _pool;
    private readonly Dictionary<nint, NativeBlock> _allocations = [];
    private bool _disposed;

    /// <summary>A device of <paramref name="threads"/> threads, each with <paramref name="scratchBytes"/> of scratch memory.</summary>
    public CpuDevice(int threads, long scratchBytes)
    {
        _pool = new KernelThreadPool(threads, scratchBytes);
    }

    /// <inheritdoc/>
    public DeviceKind Kind => DeviceKind.Cpu;

    /// <inheritdoc/>
    public int Parallelism => _pool.Threads;

    /// <inheritdoc/>
    public DeviceBuffer Allocate(long bytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        // Zeroed, so that padding and never-written buffers read as 0, never as old memory.
        var block = new NativeBlock(bytes, ArenaPlanner.Alignment);
        _allocations.Add(block.Address, block);
        return new DeviceBuffer(block.Address, bytes);
    }

    /// <inheritdoc/>
    public void Free(DeviceBuffer buffer)
    {
        if (!_allocations.Remove(buffer.Address, out var block))
        {
            throw new ArgumentException("the buffer was not allocated by this device, or was freed already", nameof(buffer));
        }
        block.Dispose();
    }

    /// <inheritdoc/>
    public nint HostAddress(DeviceBuffer buffer) => buffer.Address;

    /// <inheritdoc/>
    public void CopyToDevice(ReadOnlySpan<byte> source, DeviceBuffer destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(source.Length, destination.Bytes, nameof(source));
        source.CopyTo(new Span<byte>((void*)destination.Address, source.Length));
    }

    /// <inheritdoc/>
    public void CopyToHost(DeviceBuffer source, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(destination.Length, source.Bytes, nameof(destination));
        new ReadOnlySpan<byte>((void*)source.Address, destination.Length).CopyTo(destination);
    }

    /// <inheritdoc/>
    public void Copy(DeviceBuffer source, DeviceBuffer destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(source.Bytes, destination.Bytes, nameof(destination));
        Buffer.MemoryCopy((void*)source.Address, (void*)destination.Address, destination.Bytes, source.Bytes);
    }

    /// <inheritdoc/>
    public PreparedKernel Prepare(IKernelLibrary code, string symbol, ReadOnlySpan<DeviceBuffer> arguments, ReadOnlySpan<long> symbols)
    {
        ArgumentNullException.ThrowIfNull(code);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var table = Allocate(Math.Max(1, arguments.Length) * sizeof(nint));
        var buffers = (nint*)table.Address;
        for (var i = 0; i < arguments.Length; i++)
        {
            buffers[i] = arguments[i].Address;
        }
        var values = Allocate(Math.Max(1, symbols.Length) * sizeof(long));
        symbols.CopyTo(new Span<long>((void*)values.Address, symbols.Length));
        var extent = (delegate* unmanaged<long*, long>)code.GetKernel(symbol + CpuCallingConvention.ExtentSuffix);
        return new CpuKernel(symbol, code.GetKernel(symbol), buffers, (long*)values.Address, extent((long*)values.Address));
    }

    /// <inheritdoc/>
    public void Launch(PreparedKernel kernel)
    {
        var cpu = kernel as CpuKernel ?? throw new ArgumentException($"kernel '{kernel.Symbol}' was not prepared by a CPU device", nameof(kernel));
        _pool.Run(cpu.Address, cpu.Buffers, cpu.Symbols, cpu.Extent);
        // The memory the kernel ran on stays until it has returned.
        GC.KeepAlive(this);
    }

    /// <inheritdoc/>
    public void Synchronize()
    {
        // Launches return when every thread has finished its chunk.
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _pool.Dispose();
        foreach (var block in _allocations.Values)
        {
            block.Dispose();
        }
        _allocations.Clear();
    }

    private sealed class CpuKernel(string symbol, nint address, nint* buffers, long* symbols, long extent) : PreparedKernel
    {
        public override string Symbol { get; } = symbol;

        public nint Address { get; } = address;

        public nint* Buffers { get; } = buffers;

        public long* Symbols { get; } = symbols;

        /// <summary>The parallel loop's length under the bound symbols.</summary>
        public long Extent { get; } = extent;
    }
}
