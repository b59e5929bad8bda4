using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Data;

namespace ModelC.Runtime.Tests.Checkpoints;

/// <summary>A failed save leaves the previous checkpoint exactly as it was, and no temporary file.</summary>
public sealed class AtomicWriteTests
{
    private static readonly KeyValuePair<string, DataArray>[] Old = [new("w", DataArray.Of([1f, 2f, 3f], 3))];

    private static IEnumerable<KeyValuePair<string, DataArray>> ThrowsAfterOne()
    {
        yield return new("a", DataArray.Of([9f], 1));
        throw new InvalidOperationException("the model went away (injected)");
    }

    [Fact]
    public void ATensorSourceThatThrowsMidwayLeavesTheOldFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.safetensors");
        SafetensorsFile.Write(path, Old);
        var before = File.ReadAllBytes(path);

        var e = Assert.Throws<InvalidOperationException>(() => SafetensorsFile.Write(path, ThrowsAfterOne()));
        Assert.Equal("the model went away (injected)", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void AWriteFailingAtAnyByteLeavesTheOldFileAndNoTemporary()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.safetensors");
        SafetensorsFile.Write(path, Old);
        var before = File.ReadAllBytes(path);
        var tensors = SafetensorsRoundTripTests.AllKinds();
        SafetensorsFile.Write(dir.File("probe.safetensors"), tensors);
        var newLength = new FileInfo(dir.File("probe.safetensors")).Length;
        File.Delete(dir.File("probe.safetensors"));

        // Failing in the length prefix, in the header, in each tensor, and at the last byte.
        long[] budgets = [0, 5, 8, 100, newLength / 2, newLength - 1];
        foreach (var budget in budgets)
        {
            Assert.Throws<IOException>(() => SafetensorsFile.Write(path, tensors, null, s => new FailingStream(s, budget)));
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal([path], Directory.GetFiles(dir.Path));
        }

        // The same hook with room enough writes the file.
        SafetensorsFile.Write(path, tensors, null, s => new FailingStream(s, newLength));
        Assert.Equal(newLength, new FileInfo(path).Length);
    }

    [Fact]
    public void AFailureWithNoOldFileLeavesNothing()
    {
        using var dir = new TempDirectory();
        var path = dir.File("new.safetensors");
        Assert.Throws<InvalidOperationException>(() => SafetensorsFile.Write(path, ThrowsAfterOne()));
        Assert.Throws<IOException>(() => SafetensorsFile.Write(path, Old, null, s => new FailingStream(s, 20)));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void AtomicFileReplacesOnlyOnSuccess()
    {
        using var dir = new TempDirectory();
        var path = dir.File("notes.txt");
        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("new, half written"u8);
            throw new InvalidOperationException("injected");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));

        AtomicFile.Write(path, s => s.Write("new"u8));
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }
}
