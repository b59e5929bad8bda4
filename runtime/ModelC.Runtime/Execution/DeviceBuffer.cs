namespace ModelC.Runtime.Execution;

/// <summary>
/// A block of memory on a compute device: its address in the device's address space (on the CPU,
/// a host pointer) and its size in bytes. A value, not an owner: the device that allocated it frees it.
/// </summary>
/// <param name="Address">The first byte, as the device's kernels see it.</param>
/// <param name="Bytes">The size.</param>
public readonly record struct DeviceBuffer(nint Address, long Bytes)
{
    /// <summary>The part of this buffer from <paramref name="offset"/> on, <paramref name="bytes"/> long.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The part does not lie inside the buffer.</exception>
    public DeviceBuffer Slice(long offset, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + bytes, Bytes, nameof(bytes));
        return new DeviceBuffer(Address + (nint)offset, bytes);
    }
}
