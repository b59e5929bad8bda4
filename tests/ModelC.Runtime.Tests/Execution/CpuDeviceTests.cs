using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Tests.Execution;

/// <summary>
/// The CPU device: zeroed aligned memory, host↔device and device↔device copies, and launches in
/// the CPU calling convention, with a kernel written in C# (an unmanaged-callable function) in
/// place of compiled code: each thread gets its own chunk of the parallel loop.
/// </summary>
public sealed unsafe class CpuDeviceTests
{
    [Fact]
    public void MemoryIsZeroedAlignedAndCopiedBothWays()
    {
        using var device = new CpuDevice(threads: 1, scratchBytes: 0);
        var buffer = device.Allocate(100);
        Assert.Equal(0, buffer.Address % ArenaPlanner.Alignment);
        var back = new byte[100];
        device.CopyToHost(buffer, back);
        Assert.All(back, b => Assert.Equal(0, b));

        var data = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        device.CopyToDevice(data, buffer);
        var other = device.Allocate(100);
        device.Copy(buffer, other);
        device.CopyToHost(other, back);
        Assert.Equal(data, back);
        Assert.Equal(data, new ReadOnlySpan<byte>((void*)device.HostAddress(other), 100).ToArray());
        device.Free(other);
        Assert.Throws<ArgumentException>(() => device.Free(other));
        Assert.Throws<ArgumentOutOfRangeException>(() => device.CopyToDevice(new byte[101], buffer));
    }

    [Fact]
    public void ALaunchRunsEveryIterationOnceSplitOverTheThreads()
    {
        using var device = new CpuDevice(threads: 3, scratchBytes: 64);
        var output = device.Allocate(10 * sizeof(long));
        var kernel = device.Prepare(new CountingKernel(), "count", [output], [10]);
        Assert.Equal("count", kernel.Symbol);
        device.Launch(kernel);
        device.Synchronize();
        var values = new long[10];
        device.CopyToHost(output, MemoryMarshal.AsBytes(values.AsSpan()));
        // Each iteration wrote its index plus 1000 × the first iteration of its thread's chunk (chunks of 4).
        Assert.Equal([0, 1, 2, 3, 4004, 4005, 4006, 4007, 8008, 8009], values);
    }

    [Fact]
    public void AKernelMissingFromTheCodeIsAnError()
    {
        using var device = new CpuDevice(threads: 1, scratchBytes: 0);
        Assert.Throws<InvalidOperationException>(() => device.Prepare(new CountingKernel(), "absent", [], []));
    }

    [Fact]
    public void OnlyKnownDevicesAreCreated()
    {
        using var cpu = ComputeDevices.Create(DeviceKind.Cpu, 2, 0);
        Assert.Equal(DeviceKind.Cpu, cpu.Kind);
        Assert.Equal(2, cpu.Parallelism);
        Assert.Throws<NotSupportedException>(() => ComputeDevices.Create((DeviceKind)7, 1, 0));
    }

    // Code with the kernel "count": out[i] = i + 1000 · begin, over an extent of symbols[0].
    private sealed class CountingKernel : IKernelLibrary
    {
        public nint GetKernel(string symbol) => symbol switch
        {
            "count" => (nint)(delegate* unmanaged<nint*, long*, long, long, nint, void>)&Count,
            "count" + CpuCallingConvention.ExtentSuffix => (nint)(delegate* unmanaged<long*, long>)&Extent,
            _ => throw new InvalidOperationException($"no kernel '{symbol}'"),
        };

        public void Dispose()
        {
        }

        [UnmanagedCallersOnly]
        private static long Extent(long* symbols) => symbols[0];

        [UnmanagedCallersOnly]
        private static void Count(nint* buffers, long* symbols, long begin, long end, nint scratch)
        {
            var output = (long*)buffers[0];
            for (var i = begin; i < end; i++)
            {
                output[i] = i + 1000 * begin + (scratch == 0 ? -1_000_000 : 0);
            }
        }
    }
}
