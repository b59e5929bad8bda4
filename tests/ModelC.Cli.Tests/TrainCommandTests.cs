using System.Text.Json;
using System.Text.RegularExpressions;
using ModelC.Runtime.Checkpoints;

namespace ModelC.Cli.Tests;

/// <summary>
/// <c>modelc train</c> end to end on a small classifier of the synthetic spirals: it learns,
/// writes its reports and checkpoints, resumes to the same bits as an uninterrupted run, and
/// refuses bad data, bad options and broken checkpoints with clear errors.
/// </summary>
public sealed class TrainCommandTests : IDisposable
{
    private const string Program = """
        import std.nn;
        model Spiral(B: batch) {
            input  x: f32[B, 2];
            input  y: i32[B];
            output logits = (linear(32) >> tanh >> linear(32) >> tanh >> linear(3))(x);
            loss   cross_entropy(logits, y);
            optimizer adam(lr = 1e-2);
        }
        """;

    private readonly ScratchFolder _folder = new();
    private readonly string _model;

    public TrainCommandTests() => _model = _folder.Write("spiral.mdl", Program);

    private CliResult Train(string output, params string[] extra) =>
        Modelc.Run(["train", _model, "--stdlib", Modelc.Stdlib, "--data", "spirals:classes=3,noise=0.05", "--samples", "600",
            "--batch", "32", "--threads", "1", "-o", Path.Combine(_folder.Path, output), .. extra]);

    [Fact]
    public void LearnsAndWritesReportsCheckpointsAndWeights()
    {
        var result = Train("run", "--epochs", "12");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Spiral: compiled the train step", result.Output, StringComparison.Ordinal);
        Assert.Contains("adam(lr 1e-2), constant schedule", result.Output, StringComparison.Ordinal);
        Assert.Contains("data: synthetic spirals:classes=3,noise=0.05 (600 samples, 200 test): 540 training, 60 validation samples; 16 steps of 32 per epoch", result.Output, StringComparison.Ordinal);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder.Path, "run", "metrics.json")));
        var epochs = metrics.RootElement.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal(12, epochs.Count);
        Assert.True(epochs[^1].GetProperty("train_loss").GetDouble() < 0.5 * epochs[0].GetProperty("train_loss").GetDouble(), result.Output);
        Assert.True(metrics.RootElement.GetProperty("test").GetProperty("accuracy").GetDouble() > 0.8, result.Output);
        Assert.Equal(["epoch-0011.safetensors", "epoch-0012.safetensors"],
            Directory.GetFiles(Path.Combine(_folder.Path, "run", "checkpoints")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.StartsWith("<svg", File.ReadAllText(Path.Combine(_folder.Path, "run", "loss.svg")), StringComparison.Ordinal);
        // The weights alone, under the model's parameter names: what PyTorch's load_state_dict takes.
        var weights = SafetensorsFile.Read(Path.Combine(_folder.Path, "run", "Spiral.safetensors"));
        Assert.Equal(
            ["linear_0.bias", "linear_0.weight", "linear_1.bias", "linear_1.weight", "linear_2.bias", "linear_2.weight"],
            weights.Tensors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([32, 2], weights.Tensors["linear_0.weight"].Shape.ToArray());
    }

    [Fact]
    public void ProfileCoversEveryTrainStepAndComesLast()
    {
        var result = Train("profiled", "--epochs", "2", "--profile");

        Assert.True(result.ExitCode == 0, result.ToString());
        var kernels = Regex.Match(result.Output, @"compiled the train step \(([0-9]+) kernels\)").Groups[1].Value;
        // 16 steps per epoch; the evaluation runs are another program's and not counted.
        var profile = result.Output[result.Output.IndexOf("profile of Spiral: ", StringComparison.Ordinal)..];
        Assert.Matches($@"^profile of Spiral: 32 runs, [0-9.]+ ms per run; [0-9.]+% in its {kernels} kernels, ", profile);
        Assert.Contains("\nby op:\n", profile, StringComparison.Ordinal);
        Assert.Contains("\nby layer:\n", profile, StringComparison.Ordinal);
        Assert.Contains(" linear_2\n", profile, StringComparison.Ordinal);
        Assert.DoesNotContain("wrote ", profile, StringComparison.Ordinal);
    }

    [Fact]
    public void ProfileAllListsEveryKernelOfTheTrainStep()
    {
        var result = Train("profiled-all", "--epochs", "1", "--profile", "--profile-all");

        Assert.True(result.ExitCode == 0, result.ToString());
        var kernels = int.Parse(Regex.Match(result.Output, @"compiled the train step \(([0-9]+) kernels\)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var profile = result.Output[result.Output.IndexOf("profile of Spiral: ", StringComparison.Ordinal)..];
        Assert.Equal(kernels, Regex.Matches(profile, "  (gemm|map )  mc_").Count);
        Assert.DoesNotContain(" more ", profile, StringComparison.Ordinal);
    }

    [Fact]
    public void ProfileAllNeedsTheProfile()
    {
        var result = Train("unprofiled", "--epochs", "1", "--profile-all");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("modelc: error: --profile-all lengthens the tables of --profile: give --profile too\n", result.Error);
    }

    [Fact]
    public void AResumedRunEndsWithTheBitsOfAnUninterruptedOne()
    {
        Assert.Equal(0, Train("straight", "--epochs", "3").ExitCode);
        Assert.Equal(0, Train("resumed", "--epochs", "2").ExitCode);
        // As if killed during epoch 3: its checkpoint was never written.
        var resumed = Train("resumed", "--epochs", "3", "--resume");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("after epoch 2", resumed.Output, StringComparison.Ordinal);
        var straight = SafetensorsFile.Read(Path.Combine(_folder.Path, "straight", "checkpoints", "epoch-0003.safetensors"));
        var continued = SafetensorsFile.Read(Path.Combine(_folder.Path, "resumed", "checkpoints", "epoch-0003.safetensors"));
        Assert.Equal(straight.Tensors.Keys, continued.Tensors.Keys);
        Assert.Contains("optimizer.step", straight.Tensors.Keys);
        foreach (var (name, tensor) in straight.Tensors)
        {
            Assert.True(tensor.Floats.SequenceEqual(continued.Tensors[name].Floats), $"{name} differs after resuming");
        }
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder.Path, "resumed", "metrics.json")));
        Assert.Equal(3, metrics.RootElement.GetProperty("epochs").GetArrayLength());
    }

    [Fact]
    public void ACorruptCheckpointIsRefusedOnResume()
    {
        Assert.Equal(0, Train("broken", "--epochs", "1").ExitCode);
        var checkpoint = Path.Combine(_folder.Path, "broken", "checkpoints", "epoch-0001.safetensors");
        var bytes = File.ReadAllBytes(checkpoint);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(checkpoint, bytes);

        var result = Train("broken", "--epochs", "2", "--resume");

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(
            $@"^modelc: error: Spiral: --resume: {Regex.Escape(checkpoint)}: checksum mismatch: the file is corrupted \(the data's CRC-32C is [0-9a-f]{{8}}, the header says [0-9a-f]{{8}}\) \(delete it to resume from the checkpoint before\)\n$",
            result.Error);
    }

    [Fact]
    public void TrainsFromACsvFileWhoseIndexedColumnsFormTheFeatures()
    {
        // Two well-separated clusters per class; x[0], x[1] feed the input x: f32[B, 2], y the labels.
        var lines = new List<string> { "x[0],x[1],y" };
        for (var i = 0; i < 300; i++)
        {
            var label = i % 3;
            lines.Add(FormattableString.Invariant($"{2 * label - 2 + 0.1 * Math.Sin(i)},{0.1 * Math.Cos(i)},{label}"));
        }
        var data = _folder.Write("clusters.csv", string.Join('\n', lines) + "\n");

        var result = Modelc.Run("train", _model, "--stdlib", Modelc.Stdlib, "--data", data, "--epochs", "5", "--batch", "30",
            "--threads", "1", "-o", Path.Combine(_folder.Path, "csv"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("data: clusters.csv (300 samples): 270 training, 30 validation samples; 9 steps of 30 per epoch", result.Output, StringComparison.Ordinal);
        Assert.Contains("epoch 5/5: ", result.Output, StringComparison.Ordinal);
        Assert.Contains("accuracy 100.00 %", result.OutputLines.Last(l => l.StartsWith("epoch 5/5", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(-1)]
    public void ALabelOutsideTheClassesIsAnErrorNamingTheSample(int bad)
    {
        // Sample 17 of an otherwise valid CSV has a label that is not one of the 3 classes.
        var lines = new List<string> { "x[0],x[1],y" };
        for (var i = 0; i < 60; i++)
        {
            lines.Add(FormattableString.Invariant($"{0.1 * Math.Sin(i)},{0.1 * Math.Cos(i)},{(i == 17 ? bad : i % 3)}"));
        }
        var data = _folder.Write("labels.csv", string.Join('\n', lines) + "\n");

        var result = Modelc.Run("train", _model, "--stdlib", Modelc.Stdlib, "--data", data, "--validation", "0", "--epochs", "1",
            "--batch", "10", "--threads", "1", "-o", Path.Combine(_folder.Path, "labels"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"modelc: error: Spiral: the training data: y[17] = {bad} is out of range for model Spiral (0 to 2)\n", result.Error);
    }

    [Fact]
    public void WeightsThatStopBeingFiniteAreAnErrorNamingTheTensorAndNothingIsSaved()
    {
        var result = Train("diverged", "--epochs", "1", "--lr", "1e38");
        Assert.Equal(1, result.ExitCode);
        // The last line of stderr, after any progress lines: the first update overflows the weights.
        Assert.Matches(@"\nmodelc: error: Spiral: tensor '[^']+' became non-finite \(element \d+ is (NaN|-?Infinity)\) at epoch 1, step 1 \(learning rate 1E\+38\); nothing was saved from it; try a smaller --lr\n$", "\n" + result.Error);
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "diverged", "checkpoints")));
        Assert.False(File.Exists(Path.Combine(_folder.Path, "diverged", "Spiral.safetensors")));
    }

    [Fact]
    public void ResumingWithoutACheckpointSaysWhereItLooked()
    {
        var result = Train("empty", "--resume");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"modelc: error: Spiral: --resume: no checkpoint in {Path.Combine(_folder.Path, "empty", "checkpoints")}\n", result.Error);
    }

    [Fact]
    public void DataWithoutAnInputIsRefusedWithWhatItHas()
    {
        var result = Modelc.Run("train", _model, "--stdlib", Modelc.Stdlib, "--data", "reverse", "-o", Path.Combine(_folder.Path, "bad"));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("modelc: error: Spiral: the training data has no array 'x' for the model's input x: f32[B, 2]; it has 'tokens' i32[B, 12], 'reversed' i32[B, 12]\n", result.Error);
    }

    [Fact]
    public void AnUnknownDataSetListsTheKnownOnes()
    {
        var result = Modelc.Run("train", _model, "--stdlib", Modelc.Stdlib, "--data", "mnist", "-o", Path.Combine(_folder.Path, "bad"));
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("modelc: error: Spiral: unknown synthetic data set 'mnist'; known sets:\n  poisson", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelWithoutALossHasNothingToTrain()
    {
        var model = _folder.Write("forward.mdl", "import std.nn;\nmodel F(B: batch) { input x: f32[B, 2]; output y = linear(3)(x); }\n");
        var result = Modelc.Run("train", model, "--stdlib", Modelc.Stdlib, "--data", "spirals", "-o", Path.Combine(_folder.Path, "bad"));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("modelc: error: F: model F has no loss: there is nothing to train\n", result.Error);
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs must be at least 1, got 0")]
    [InlineData("--lr", "-1", "--lr must be positive, got -1")]
    [InlineData("--validation", "1", "--validation must be in [0, 1), got 1")]
    [InlineData("--time-limit", "1e300", "--time-limit must be positive and at most a year (525600 minutes), got 1E+300")]
    [InlineData("--bucket-bytes", "0", "--bucket-bytes must be at least 1, got 0")]
    public void BadOptionsAreUsageErrors(string option, string value, string message)
    {
        var result = Train("bad", option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"modelc: error: {message}\n", result.Error);
    }

    public void Dispose() => _folder.Dispose();
}
