using System.Runtime.CompilerServices;

namespace ModelC.Cli.Tests;

/// <summary>Alone, so that no other test's threads or memory come and go while these count them.</summary>
[CollectionDefinition(nameof(ResourceCounting), DisableParallelization = true)]
public sealed class ResourceCounting : ICollectionFixture<DotNetAssemblyTests.BuiltMlp>;

/// <summary>
/// Instances of a generated class that are never disposed give back their worker threads and
/// native memory when the garbage collector collects them (the issue counted 507 threads and
/// 83 MiB after 500 instances).
/// </summary>
[Collection(nameof(ResourceCounting))]
public sealed class UndisposedModelTests(DotNetAssemblyTests.BuiltMlp mlp)
{
    private const int Instances = 60;

    [Fact]
    public void InstancesThatAreNeverDisposedAreReclaimedThreadsAndMemory()
    {
        // The first instance loads the kernels, which stay for the process.
        mlp.Create(4, threads: 1, seed: 0).Dispose();
        ProcessResources.CollectEverything();
        var threadsBefore = ProcessResources.KernelThreads();
        var bytesBefore = ProcessResources.NativeBytesInUse();

        var (instances, threadsHeld, bytesHeld) = CreateAndForget();
        threadsHeld -= threadsBefore;
        bytesHeld -= bytesBefore;
        ProcessResources.CollectEverything();

        Assert.Equal(Instances, threadsHeld);
        Assert.All(instances, instance => Assert.False(instance.IsAlive));
        Assert.Equal(threadsBefore, ProcessResources.KernelThreads());
        Assert.True(ProcessResources.NativeBytesInUse() - bytesBefore < bytesHeld / 10, $"{ProcessResources.NativeBytesInUse() - bytesBefore} of {bytesHeld} bytes still in use");
    }

    // In a method of its own, so that no local of the test keeps an instance reachable: the
    // instances are held while the threads and bytes are counted, then only weakly.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private (List<WeakReference> Instances, int Threads, long Bytes) CreateAndForget()
    {
        var instances = new List<Runtime.Bindings.CompiledModel>();
        for (var i = 0; i < Instances; i++)
        {
            instances.Add(mlp.Create(4, threads: 2, seed: 0));
            mlp.ForwardOf(instances[^1])(new float[4 * 784]);
        }
        return ([.. instances.Select(i => new WeakReference(i))], ProcessResources.KernelThreads(), ProcessResources.NativeBytesInUse());
    }
}
