using ModelC.Runtime.Checkpoints;

namespace ModelC.Training.Tests;

/// <summary>The per-epoch checkpoints: the two newest kept, the newest found by its epoch number.</summary>
public sealed class CheckpointDirectoryTests(CompiledClassifier classifier) : IClassFixture<CompiledClassifier>, IDisposable
{
    private readonly TempDirectory _folder = new();
    private static readonly Dictionary<string, string> NoMetadata = [];

    [Fact]
    public void TheTwoNewestAreKept()
    {
        using var model = classifier.Programs.TrainStep(batch: 2);
        var checkpoints = new CheckpointDirectory(_folder.File("checkpoints"));
        for (var epoch = 1; epoch <= 3; epoch++)
        {
            checkpoints.Save(model, epoch, NoMetadata);
        }

        Assert.Equal(["epoch-0002.safetensors", "epoch-0003.safetensors"], Directory.GetFiles(checkpoints.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(Path.Combine(checkpoints.Folder, "epoch-0003.safetensors"), checkpoints.Latest());
        Assert.Contains("optimizer.step", SafetensorsFile.Read(checkpoints.Latest()!).Tensors.Keys);
    }

    [Fact]
    public void TheNewestIsTheHighestEpochNotTheLastName()
    {
        using var model = classifier.Programs.TrainStep(batch: 2);
        var checkpoints = new CheckpointDirectory(_folder.Path);
        checkpoints.Save(model, 9999, NoMetadata);
        checkpoints.Save(model, 10000, NoMetadata);
        File.WriteAllText(_folder.File("epoch-last.safetensors"), "");
        File.WriteAllText(_folder.File("notes.txt"), "");

        Assert.Equal(_folder.File("epoch-10000.safetensors"), checkpoints.Latest());
    }

    [Fact]
    public void AFolderThatDoesNotExistHasNoCheckpoint() =>
        Assert.Null(new CheckpointDirectory(_folder.File("none")).Latest());

    public void Dispose() => _folder.Dispose();
}
