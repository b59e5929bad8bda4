using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Execution;

/// <summary>
/// Where a compiled program's buffers live and its kernels run: memory (allocation, host↔device
/// and device↔device copies) and launches in the device's kernel calling convention. A
/// <see cref="ModelInstance"/> owns one device and does all its memory traffic and launches
/// through it. <see cref="CpuDevice"/> is the host's; a device with memory of its own implements
/// <see cref="HostAddress"/> with a host mirror that it keeps in step around launches.
/// </summary>
public interface IComputeDevice : IDisposable
{
    /// <summary>What kind of device this is; it runs the programs whose manifest names it.</summary>
    DeviceKind Kind { get; }

    /// <summary>How many workers share each kernel (the CPU's threads).</summary>
    int Parallelism { get; }

    /// <summary>Allocates <paramref name="bytes"/> of zeroed memory, aligned for any vector access; freed by <see cref="Free"/> or with the device.</summary>
    DeviceBuffer Allocate(long bytes);

    /// <summary>Frees memory <see cref="Allocate"/> returned.</summary>
    void Free(DeviceBuffer buffer);

    /// <summary>The host address at which the host reads and writes <paramref name="buffer"/> between launches.</summary>
    nint HostAddress(DeviceBuffer buffer);

    /// <summary>Copies host memory into <paramref name="destination"/> (as many bytes as <paramref name="source"/> has).</summary>
    void CopyToDevice(ReadOnlySpan<byte> source, DeviceBuffer destination);

    /// <summary>Copies <paramref name="source"/> into host memory (as many bytes as <paramref name="destination"/> has).</summary>
    void CopyToHost(DeviceBuffer source, Span<byte> destination);

    /// <summary>Copies all of <paramref name="source"/> over <paramref name="destination"/>, on the device.</summary>
    void Copy(DeviceBuffer source, DeviceBuffer destination);

    /// <summary>
    /// Resolves kernel <paramref name="symbol"/> in <paramref name="code"/> and binds it to its
    /// buffers (output first, as the manifest lists them) and the values of the symbolic dimensions.
    /// </summary>
    /// <exception cref="InvalidOperationException">The code has no such kernel.</exception>
    PreparedKernel Prepare(IKernelLibrary code, string symbol, ReadOnlySpan<DeviceBuffer> arguments, ReadOnlySpan<long> symbols);

    /// <summary>Runs a prepared kernel over its whole iteration space. It may still be running on return; see <see cref="Synchronize"/>.</summary>
    void Launch(PreparedKernel kernel);

    /// <summary>Waits until every launched kernel and copy has finished.</summary>
    void Synchronize();
}
