using ModelC.Backend.Artifacts;
using ModelC.Tests;
using ModelC.Runtime.Execution;

namespace ModelC.Backend.Tests;

/// <summary>
/// An output folder's versions: a published version replaces the files seen at the top of the
/// folder; a version never published (a build that failed after it began writing) leaves the
/// folder exactly as it was, with no staging folder behind.
/// </summary>
public sealed class StagedOutputFolderTests
{
    private static string Publish(string directory, string file, string text)
    {
        using var staged = StagedOutputFolder.Begin(directory);
        File.WriteAllText(Path.Combine(staged.Path, file), text);
        staged.Publish();
        return ModelArtifact.Pin(directory);
    }

    [Fact]
    public void APublishedVersionKeepsTheFilesOfTheOneBefore()
    {
        using var folder = new TempDirectory();
        var first = Publish(folder.Path, "a.txt", "one");
        var second = Publish(folder.Path, "b.txt", "two");
        Assert.NotEqual(first, second);
        Assert.Equal("one", File.ReadAllText(Path.Combine(folder.Path, "a.txt")));
        Assert.Equal("two", File.ReadAllText(Path.Combine(folder.Path, "b.txt")));
        // A reader that pinned the first version still reads it whole.
        Assert.False(File.Exists(Path.Combine(first, "b.txt")));
    }

    [Fact]
    public void AVersionNeverPublishedLeavesTheFolderAsItWas()
    {
        using var folder = new TempDirectory();
        var current = Publish(folder.Path, "a.txt", "one");
        var staged = StagedOutputFolder.Begin(folder.Path);
        File.WriteAllText(Path.Combine(staged.Path, "a.txt"), "half-written");
        File.WriteAllText(Path.Combine(staged.Path, "b.txt"), "never published");
        staged.Dispose();

        Assert.Equal(current, ModelArtifact.Pin(folder.Path));
        Assert.Equal("one", File.ReadAllText(Path.Combine(folder.Path, "a.txt")));
        Assert.False(File.Exists(Path.Combine(folder.Path, "b.txt")));
        Assert.Equal([current], Directory.GetDirectories(Path.Combine(folder.Path, ModelArtifact.VersionsFolder)));
    }
}
