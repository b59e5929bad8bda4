using ModelC.Backend.Driver;

namespace ModelC.Backend.Tests.Driver;

/// <summary>The object cache: hits and misses, damaged entries found out, concurrent writers, an unwritable folder, and the test run's own folder.</summary>
public sealed class CompileCacheTests
{
    private static readonly KernelKey Key = new(string.Concat(Enumerable.Repeat("0123456789abcdef", 4)));
    private static readonly byte[] Code = [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 13))];

    [Fact]
    public void AnEntryIsAMissUntilWrittenThenAHit()
    {
        using var folder = new TempDirectory();
        var cache = new CompileCache(folder.Path);
        Assert.Null(cache.TryRead(Key));
        Assert.True(cache.Write(Key, Code));
        Assert.Equal(Code, cache.TryRead(Key));
        Assert.Equal(Path.Combine(folder.Path, "01", Key.Hex + ".o"), cache.PathOf(Key));
    }

    public static TheoryData<string> Damages() => ["truncated", "code byte", "checksum byte", "length", "other key", "empty"];

    [Theory]
    [MemberData(nameof(Damages))]
    public void ADamagedEntryIsAMissAndIsReplacedByTheNextWrite(string damage)
    {
        using var folder = new TempDirectory();
        var cache = new CompileCache(folder.Path);
        cache.Write(Key, Code);
        var path = cache.PathOf(Key);
        var entry = File.ReadAllBytes(path);
        var header = entry.Length - Code.Length;
        byte[] damaged = damage switch
        {
            "truncated" => entry[..^1],
            "code byte" => Flip(entry, header + 100),
            "checksum byte" => Flip(entry, header - 1),
            "length" => Flip(entry, header - 33),
            "other key" => Flip(entry, 20),
            "empty" => [],
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        File.WriteAllBytes(path, damaged);

        Assert.Null(cache.TryRead(Key));
        cache.Write(Key, Code);
        Assert.Equal(Code, cache.TryRead(Key));
    }

    [Fact]
    public void ManyWritersAtOnceLeaveOneSoundEntryAndNothingElse()
    {
        using var folder = new TempDirectory();
        using var start = new Barrier(8);
        var read = new byte[8][];
        var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
        {
            var cache = new CompileCache(folder.Path);
            start.SignalAndWait();
            cache.Write(Key, Code);
            read[i] = cache.TryRead(Key)!;
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.All(read, r => Assert.Equal(Code, r));
        Assert.Equal([Key.Hex + ".o"], Directory.GetFiles(Path.Combine(folder.Path, "01")).Select(Path.GetFileName));
    }

    [Fact]
    public void ACacheThatCannotBeWrittenIsSkipped()
    {
        using var folder = new TempDirectory();
        // A file where the entry's folder would go.
        File.WriteAllText(folder.File("01"), "");
        var cache = new CompileCache(folder.Path);
        Assert.False(cache.Write(Key, Code));
        Assert.Null(cache.TryRead(Key));
    }

    [Fact]
    public void TestsUseTheRunsOwnCacheFolder()
    {
        Assert.Equal(Path.Combine(TestCacheFolder.Path, "objects"), CompileCache.Default!.Folder);
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = bytes.ToArray();
        copy[index] ^= 0x40;
        return copy;
    }
}
