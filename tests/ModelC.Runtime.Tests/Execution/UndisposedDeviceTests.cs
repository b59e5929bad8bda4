using System.Runtime.CompilerServices;
using ModelC.Runtime.Execution;

namespace ModelC.Runtime.Tests.Execution;

/// <summary>Alone, so that no other test's threads or memory come and go while these count them.</summary>
[CollectionDefinition(nameof(ResourceCounting), DisableParallelization = true)]
public sealed class ResourceCounting;

/// <summary>
/// Devices that are never disposed give their worker threads and native memory back once the
/// garbage collector finds them unreachable: the threads do not keep their pool alive.
/// </summary>
[Collection(nameof(ResourceCounting))]
public sealed class UndisposedDeviceTests
{
    private const int Devices = 40;
    private const long BufferBytes = 4 << 20;

    [Fact]
    public void CollectingDevicesThatWereNeverDisposedStopsTheirThreadsAndFreesTheirMemory()
    {
        ProcessResources.CollectEverything();
        var threadsBefore = ProcessResources.KernelThreads();
        var bytesBefore = ProcessResources.NativeBytesInUse();

        var (devices, threadsHeld, bytesHeld) = CreateAndForget();
        ProcessResources.CollectEverything();

        Assert.True(threadsHeld - threadsBefore >= Devices * 2, $"{threadsHeld - threadsBefore} worker threads for {Devices} devices of 3 threads");
        Assert.True(bytesHeld - bytesBefore >= Devices * BufferBytes, $"{bytesHeld - bytesBefore} bytes held");
        Assert.All(devices, device => Assert.False(device.IsAlive));
        Assert.Equal(threadsBefore, ProcessResources.KernelThreads());
        Assert.True(ProcessResources.NativeBytesInUse() - bytesBefore < Devices * BufferBytes / 10, $"{ProcessResources.NativeBytesInUse() - bytesBefore} bytes still in use");
    }

    // In a method of its own, so that no local of the test keeps a device reachable: the devices
    // are held while the threads and bytes are counted, then only weakly.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (List<WeakReference> Devices, int Threads, long Bytes) CreateAndForget()
    {
        var devices = new List<CpuDevice>();
        for (var i = 0; i < Devices; i++)
        {
            devices.Add(new CpuDevice(threads: 3, scratchBytes: 4096));
            devices[^1].Allocate(BufferBytes);
        }
        return ([.. devices.Select(d => new WeakReference(d))], ProcessResources.KernelThreads(), ProcessResources.NativeBytesInUse());
    }
}
