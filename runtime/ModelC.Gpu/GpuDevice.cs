using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Gpu.Runtime;

/// <summary>
/// An ILGPU accelerator as a compute device for one <see cref="ModelInstance"/>: its buffers are
/// accelerator memory, its launches and copies go to one stream of its own, and every kernel
/// (forward, backward and optimizer alike) runs on the accelerator.
/// <para>
/// The host reaches a buffer only through <see cref="HostAddress"/>, which returns a host mirror
/// kept in step lazily: a mirror is refreshed from the device only when the device has written the
/// buffer since, and a buffer the host has been given is uploaded before the next launch. So data
/// crosses only where the host touches it — inputs in, outputs out, parameters at checkpoints —
/// while parameters and optimizer state stay resident through training. A span from
/// <see cref="ModelInstance"/> is valid until the next run: read or write through a fresh one.
/// </para>
/// </summary>
public sealed unsafe class GpuDevice : IComputeDevice
{
    private readonly GpuAccelerator _accelerator;
    private readonly AcceleratorStream _stream;
    private readonly List<Allocation> _allocations = [];
    private readonly Dictionary<string, MemoryBuffer1D<long, Stride1D.Dense>> _symbolBuffers = [];
    private bool _disposed;

    /// <summary>A device on <paramref name="accelerator"/> with a stream of its own.</summary>
    public GpuDevice(GpuAccelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _accelerator = accelerator;
        _stream = accelerator.Accelerator.CreateStream();
    }

    /// <inheritdoc/>
    public DeviceKind Kind => DeviceKind.Gpu;

    /// <summary>Bytes copied from the host to the device so far (initialisation, inputs, mirrors the host was given).</summary>
    public long BytesToDevice { get; private set; }

    /// <summary>Bytes copied from the device to the host so far (mirrors refreshed, copies out).</summary>
    public long BytesToHost { get; private set; }

    /// <inheritdoc/>
    public int Parallelism => _accelerator.Accelerator.MaxNumThreads;

    /// <inheritdoc/>
    public DeviceBuffer Allocate(long bytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        var size = Math.Max(bytes, 1);
        var memory = _accelerator.Accelerator.Allocate1D<byte>(size);
        memory.View.MemSetToZero(_stream);
        var mirror = (byte*)NativeMemory.AlignedAlloc((nuint)size, (nuint)ArenaPlanner.Alignment);
        NativeMemory.Clear(mirror, (nuint)size);
        var allocation = new Allocation(memory, mirror, size);
        _allocations.Add(allocation);
        return new DeviceBuffer(memory.NativePtr, bytes);
    }

    /// <inheritdoc/>
    public void Free(DeviceBuffer buffer)
    {
        var allocation = _allocations.Find(a => a.Address == buffer.Address)
            ?? throw new ArgumentException("the buffer was not allocated by this device, or was freed already", nameof(buffer));
        _stream.Synchronize();
        _allocations.Remove(allocation);
        allocation.Dispose();
    }

    /// <inheritdoc/>
    public nint HostAddress(DeviceBuffer buffer)
    {
        var (allocation, offset) = Find(buffer);
        Download(allocation);
        // The host may write through the address: upload before the device reads it again.
        allocation.HostWritten = true;
        return (nint)(allocation.Mirror + offset);
    }

    /// <inheritdoc/>
    public void CopyToDevice(ReadOnlySpan<byte> source, DeviceBuffer destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(source.Length, destination.Bytes, nameof(source));
        var (allocation, offset) = Find(destination);
        Upload(allocation);
        allocation.View.SubView(offset, source.Length).CopyFromCPU(_stream, source);
        BytesToDevice += source.Length;
        allocation.DeviceWritten = true;
    }

    /// <inheritdoc/>
    public void CopyToHost(DeviceBuffer source, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(destination.Length, source.Bytes, nameof(destination));
        var (allocation, offset) = Find(source);
        Upload(allocation);
        allocation.View.SubView(offset, destination.Length).CopyToCPU(_stream, destination);
        _stream.Synchronize();
        BytesToHost += destination.Length;
    }

    /// <inheritdoc/>
    public void Copy(DeviceBuffer source, DeviceBuffer destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(source.Bytes, destination.Bytes, nameof(destination));
        var (from, fromOffset) = Find(source);
        var (to, toOffset) = Find(destination);
        Upload(from);
        Upload(to);
        from.View.SubView(fromOffset, source.Bytes).CopyTo(_stream, to.View.SubView(toOffset, source.Bytes));
        to.DeviceWritten = true;
    }

    /// <inheritdoc/>
    public PreparedKernel Prepare(IKernelLibrary code, string symbol, ReadOnlySpan<DeviceBuffer> arguments, ReadOnlySpan<long> symbols)
    {
        ArgumentNullException.ThrowIfNull(code);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var library = code as GpuKernelLibrary
            ?? throw new InvalidOperationException($"kernel '{symbol}' is not GPU code: the program was compiled for another device");
        var kernel = library.Kernel(symbol);
        var values = symbols.ToArray();
        var views = new Allocation[arguments.Length];
        var parameters = new object[arguments.Length + 1];
        for (var i = 0; i < arguments.Length; i++)
        {
            var (allocation, offset) = Find(arguments[i]);
            views[i] = allocation;
            parameters[i] = allocation.View.SubView(offset, Math.Max(1, arguments[i].Bytes));
        }
        parameters[^1] = SymbolView(values);
        return new GpuPreparedKernel(kernel, _accelerator.Load(kernel.Method), parameters, views, LaunchShape.Of(kernel, kernel.Extent(values), _accelerator.Accelerator));
    }

    /// <inheritdoc/>
    public void Launch(PreparedKernel kernel)
    {
        var gpu = kernel as GpuPreparedKernel ?? throw new ArgumentException($"kernel '{kernel.Symbol}' was not prepared by a GPU device", nameof(kernel));
        foreach (var allocation in _allocations)
        {
            Upload(allocation);
        }
        gpu.Kernel.Launch(_stream, gpu.Shape.Config, gpu.Parameters);
        // The outputs are the first arguments; the host's mirrors of them are now stale.
        foreach (var output in gpu.Buffers.Take(gpu.Outputs))
        {
            output.DeviceWritten = true;
        }
    }

    /// <inheritdoc/>
    public void Synchronize() => _stream.Synchronize();

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _stream.Synchronize();
        foreach (var allocation in _allocations)
        {
            allocation.Dispose();
        }
        _allocations.Clear();
        foreach (var buffer in _symbolBuffers.Values)
        {
            buffer.Dispose();
        }
        _symbolBuffers.Clear();
        _stream.Dispose();
    }

    // Every kernel of an instance receives the same symbol values: one device copy serves them all.
    private ArrayView<long> SymbolView(long[] values)
    {
        var key = string.Join(',', values);
        if (!_symbolBuffers.TryGetValue(key, out var buffer))
        {
            buffer = _accelerator.Accelerator.Allocate1D<long>(Math.Max(1, values.Length));
            buffer.View.SubView(0, values.Length).CopyFromCPU(_stream, values);
            _symbolBuffers[key] = buffer;
        }
        return buffer.View;
    }

    private (Allocation Allocation, long Offset) Find(DeviceBuffer buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var allocation in _allocations)
        {
            var offset = (long)(buffer.Address - allocation.Address);
            if (offset >= 0 && offset + buffer.Bytes <= allocation.Bytes)
            {
                return (allocation, offset);
            }
        }
        throw new ArgumentException("the buffer does not lie in memory this device allocated", nameof(buffer));
    }

    private void Download(Allocation allocation)
    {
        if (allocation.DeviceWritten)
        {
            allocation.View.CopyToCPU(_stream, new Span<byte>(allocation.Mirror, checked((int)allocation.Bytes)));
            _stream.Synchronize();
            BytesToHost += allocation.Bytes;
            allocation.DeviceWritten = false;
        }
    }

    private void Upload(Allocation allocation)
    {
        if (allocation.HostWritten)
        {
            allocation.View.CopyFromCPU(_stream, new ReadOnlySpan<byte>(allocation.Mirror, checked((int)allocation.Bytes)));
            BytesToDevice += allocation.Bytes;
            allocation.HostWritten = false;
        }
    }

    /// <summary>One block of accelerator memory and its host mirror.</summary>
    private sealed class Allocation(MemoryBuffer1D<byte, Stride1D.Dense> memory, byte* mirror, long bytes) : IDisposable
    {
        public nint Address { get; } = memory.NativePtr;

        public long Bytes { get; } = bytes;

        public ArrayView<byte> View { get; } = memory.View;

        public byte* Mirror { get; } = mirror;

        /// <summary>The device has written it since the mirror was last refreshed.</summary>
        public bool DeviceWritten { get; set; }

        /// <summary>The host has been given the mirror since it was last uploaded.</summary>
        public bool HostWritten { get; set; }

        public void Dispose()
        {
            memory.Dispose();
            NativeMemory.AlignedFree(Mirror);
        }
    }

    private sealed class GpuPreparedKernel(GpuKernelCode code, Kernel kernel, object[] parameters, Allocation[] buffers, LaunchShape shape) : PreparedKernel
    {
        public override string Symbol => code.Symbol;

        public int Outputs => code.Outputs;

        public Kernel Kernel { get; } = kernel;

        public object[] Parameters { get; } = parameters;

        public Allocation[] Buffers { get; } = buffers;

        public LaunchShape Shape { get; } = shape;
    }
}
