using System.Security.Cryptography;
using ModelC.Runtime.Packaging;

namespace ModelC.Runtime.Tests.Packaging;

public sealed class KernelCacheTests
{
    private static readonly byte[] Library = [.. Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7))];

    [Fact]
    public void ALibraryGoesIntoTheFolderOfItsHash()
    {
        using var root = new TempDirectory();
        var path = KernelCache.Extract(Library, "libNet.inference.so", root.Path);

        Assert.Equal(Path.Combine(root.Path, Convert.ToHexStringLower(SHA256.HashData(Library)), "libNet.inference.so"), path);
        Assert.Equal(Library, File.ReadAllBytes(path));
        Assert.Equal(path, KernelCache.Extract(Library, "libNet.inference.so", root.Path));
        Assert.NotEqual(path, KernelCache.Extract([.. Library, 0], "libNet.inference.so", root.Path));
    }

    [Fact]
    public void LibrariesGoToKernelsInTheCacheFolder()
    {
        Assert.Equal(Path.Combine(TestCacheFolder.Path, "kernels"), KernelCache.Root);
        Assert.Equal(TestCacheFolder.Path, CacheFolder.Root);
    }

    [Fact]
    public void ADamagedCopyIsReplaced()
    {
        using var root = new TempDirectory();
        var path = KernelCache.Extract(Library, "libNet.so", root.Path);
        File.WriteAllBytes(path, Library[..1000]);

        Assert.Equal(path, KernelCache.Extract(Library, "libNet.so", root.Path));
        Assert.Equal(Library, File.ReadAllBytes(path));
    }

    [Fact]
    public void ManyWritersAtOnceAllGetTheCompleteLibrary()
    {
        using var root = new TempDirectory();
        using var start = new Barrier(8);
        var paths = new string[8];
        var contents = new byte[8][];
        var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            paths[i] = KernelCache.Extract(Library, "libNet.so", root.Path);
            contents[i] = File.ReadAllBytes(paths[i]);
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Single(paths.Distinct());
        // Each reader saw the whole file, whichever writer's rename it met.
        Assert.All(contents, c => Assert.Equal(Library, c));
        Assert.Equal(["libNet.so"], Directory.GetFiles(Path.GetDirectoryName(paths[0])!).Select(Path.GetFileName));
    }
}
