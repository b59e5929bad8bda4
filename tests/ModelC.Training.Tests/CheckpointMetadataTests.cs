using ModelC.Data.Formats;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Data;

namespace ModelC.Training.Tests;

/// <summary>
/// What a checkpoint's metadata holds is checked before use on <c>--resume</c>: a history that
/// is not JSON, has the wrong types or nulls, or disagrees with the epoch is one clear error, and
/// an edited history fails the file's checksum.
/// </summary>
public sealed class CheckpointMetadataTests(CompiledMlp mlp) : IClassFixture<CompiledMlp>, IDisposable
{
    private const int Batch = 32;
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private TrainingSession Session(Runtime.Execution.ModelInstance trainStep) =>
        new(trainStep, new TrainingData(BandedDigits.Create(64, seed: 1), null, null, "digits"), new TrainingOptions(2, _folder.Path));

    private string ResumeProblem(Dictionary<string, string> metadata)
    {
        using var trainStep = mlp.Programs.TrainStep(Batch);
        using var session = Session(trainStep);
        Directory.CreateDirectory(session.Checkpoints.Folder);
        var path = Path.Combine(session.Checkpoints.Folder, "epoch-0001.safetensors");
        ModelCheckpoint.Save(trainStep, path, new Dictionary<string, string>(metadata) { ["modelc.model"] = "Mlp" });
        var e = Assert.Throws<InvalidOperationException>(() => session.Resume());
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        return e.Message[(path.Length + 2)..];
    }

    private const string Malformed = "the training history in its metadata is malformed: ";

    [Theory]
    [InlineData("not json", "not JSON (")]
    [InlineData("[null, null]", "epoch record 1 is null, not an object")]
    [InlineData("{\"epoch\": 1}", "it is a JSON an object, not an array of epochs")]
    [InlineData("[{\"epoch\": \"1\"}]", "epoch record 1: 'epoch' is a string, not a finite number")]
    [InlineData("[{\"epoch\": 2, \"train_loss\": 1, \"learning_rate\": 0.1, \"seconds\": 1}]", "epoch record 1 has epoch 2")]
    [InlineData("[{\"epoch\": 1, \"learning_rate\": 0.1, \"seconds\": 1}]", "epoch record 1 lacks 'train_loss'")]
    [InlineData("[{\"epoch\": 1, \"train_loss\": 1, \"validation_loss\": [], \"learning_rate\": 0.1, \"seconds\": 1}]", "epoch record 1: 'validation_loss' is an array, not a finite number")]
    [InlineData("[{\"epoch\": 1, \"train_loss\": 1e999, \"learning_rate\": 0.1, \"seconds\": 1}]", "epoch record 1: 'train_loss' is a number, not a finite number")]
    public void AHistoryOfTheWrongShapeIsOneClearError(string history, string problem)
    {
        Assert.StartsWith(Malformed + problem, ResumeProblem(new() { ["modelc.history"] = history }), StringComparison.Ordinal);
    }

    [Fact]
    public void AHistoryThatDisagreesWithTheEpochIsRefused()
    {
        Assert.Equal("its metadata says epoch 3, but its history holds 0 epochs",
            ResumeProblem(new() { ["modelc.history"] = "[]", ["modelc.epoch"] = "3" }));
    }

    [Fact]
    public void AnEditedHistoryFailsTheChecksum()
    {
        using var trainStep = mlp.Programs.TrainStep(Batch);
        using var session = Session(trainStep);
        session.TrainEpoch();
        var path = session.SaveCheckpoint();
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.Latin1.GetString(bytes);
        var at = text.IndexOf("\\u0022epoch\\u0022: 1", StringComparison.Ordinal) is var escaped and >= 0 ? escaped : text.IndexOf("\\\"epoch\\\": 1", StringComparison.Ordinal);
        Assert.True(at > 0, text[..200]);
        bytes[text.IndexOf(": 1", at, StringComparison.Ordinal) + 2] = (byte)'7';
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidOperationException>(() => session.Resume());
        Assert.Contains("checksum mismatch: the metadata is corrupted", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATrainStepWhoseWeightsOverflowStopsBeforeAnythingIsSaved()
    {
        using var trainStep = mlp.Programs.TrainStep(Batch);
        using var session = new TrainingSession(trainStep, new TrainingData(BandedDigits.Create(64, seed: 1), null, null, "digits"),
            new TrainingOptions(2, _folder.Path) { LearningRate = 1e38 });

        var e = Assert.Throws<NonFiniteTensorException>(() => session.Run());

        Assert.Equal((1, 1), (e.Epoch, e.Step));
        Assert.Matches(@"^tensor '[^']+' became non-finite \(element \d+ is (NaN|-?Infinity)\) at epoch 1, step 1 \(learning rate 1E\+38\); nothing was saved from it$", e.Message);
        Assert.Equal([OutputLock.FileName], Directory.GetFileSystemEntries(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void AFolderInUseIsRefusedAndAStaleLockIsTakenOver()
    {
        using var trainStep = mlp.Programs.TrainStep(Batch);
        using (Session(trainStep))
        {
            var e = Assert.Throws<InvalidOperationException>(() => Session(trainStep));
            Assert.Equal($"output folder {_folder.Path} is in use by another training run (process {Environment.ProcessId}); its lock file is {_folder.File(OutputLock.FileName)}", e.Message);
        }
        Assert.False(File.Exists(_folder.File(OutputLock.FileName)));

        using var gone = System.Diagnostics.Process.Start("true")!;
        gone.WaitForExit();
        File.WriteAllText(_folder.File(OutputLock.FileName), $"{gone.Id}\n");
        using (Session(trainStep))
        {
            Assert.Equal($"{Environment.ProcessId}\n", File.ReadAllText(_folder.File(OutputLock.FileName)));
        }
    }

    [Fact]
    public void NonFiniteInputDataIsADataProblemNamingTheSample()
    {
        var path = _folder.File("data.npy");
        var x = new float[6 * 4];
        x[4 * 5 + 2] = float.NaN;
        NpyFile.Write(path, DataArray.Of(x, 6, 4));

        var e = Assert.Throws<DataFormatException>(() => TrainingData.Load(path, null, 0, 0, 0, 0));
        Assert.Equal("array 'data', sample 5 (from 0) holds NaN; training data must be finite", e.Problem);
    }
}
