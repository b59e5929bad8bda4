using System.Text.RegularExpressions;
using ModelC.Runtime.Checkpoints;

namespace ModelC.Cli.Tests;

/// <summary>
/// <c>modelc train</c> through the program cache: an unchanged command loads the train step and
/// evaluation programs it compiled last time, prints the warnings that compile printed, and
/// trains to the same bits; an edited source byte, another <c>-D</c> or another compile option
/// misses, while options of the training alone (seed, learning rate, validation, batch) still hit
/// and take effect; a training that fails after its compile keeps the programs it compiled.
/// </summary>
public sealed class TrainCacheTests
{
    private const string Loaded = @"^Trained: loaded the train step \(\d+ kernels\) and its evaluation from the cache in \d+\.\d s; ";
    private const string Compiled = @"^Trained: compiled the train step \(\d+ kernels\) and its evaluation in \d+\.\d s; ";

    [Fact]
    public void UnchangedTrainLoadsItsProgramsReplaysItsWarningsAndTrainsToTheSameBits()
    {
        using var scratch = new ScratchFolder();
        var train = new PrivateTrain(scratch);
        var cold = train.Run("cold");
        Assert.Matches(new Regex(Compiled, RegexOptions.Multiline), cold.Output);
        Assert.Contains("warning MC3021", cold.Error, StringComparison.Ordinal);

        // Without the kernels' objects and libraries, only the program cache can train without compiling.
        train.DeleteObjects();
        var warm = train.Run("warm");
        Assert.Matches(new Regex(Loaded, RegexOptions.Multiline), warm.Output);
        Assert.Equal(Warnings(cold.Error), Warnings(warm.Error));
        Assert.NotEmpty(Warnings(warm.Error));
        Assert.Equal(Comparable(cold.Output, "cold"), Comparable(warm.Output, "warm"));
        // The parameters the model really has (2·6+6 + 6·3+3), as modelc check counts them, cold and warm.
        Assert.Matches(new Regex(Compiled + "39 parameters, ", RegexOptions.Multiline), cold.Output);
        Assert.Matches(new Regex(Loaded + "39 parameters, ", RegexOptions.Multiline), warm.Output);
        Assert.Contains("Trained: ok, 39 parameters", train.Check().Output, StringComparison.Ordinal);
        AssertSameWeights(train.Output("cold"), train.Output("warm"), "checkpoints/epoch-0001.safetensors", "checkpoints/epoch-0002.safetensors");
    }

    [Fact]
    public void TrainingOptionsHitTheCacheAndTakeEffect()
    {
        using var scratch = new ScratchFolder();
        var train = new PrivateTrain(scratch);
        var first = train.Run("first");
        foreach (var (name, options) in (IEnumerable<(string, string[])>)[("seeded", ["--seed", "3", "--lr", "0.05", "--validation", "0.2"]), ("batched", ["--batch", "8"])])
        {
            var warm = train.Run($"warm-{name}", options);
            Assert.Matches(new Regex(Loaded, RegexOptions.Multiline), warm.Output);
            // A cold run of the same options, with a cache of its own, trains to the same bits: the warm run took them up.
            var cold = train.Cold($"cold-{name}", options);
            Assert.Matches(new Regex(Compiled, RegexOptions.Multiline), cold.Output);
            Assert.Equal(Comparable(cold.Output, $"cold-{name}"), Comparable(warm.Output, $"warm-{name}"));
            AssertSameWeights(train.Output($"cold-{name}"), train.Output($"warm-{name}"));
            Assert.NotEqual(Comparable(first.Output, "first"), Comparable(warm.Output, $"warm-{name}"));
        }
    }

    [Fact]
    public void ATrainingThatFailsAfterCompilingKeepsItsPrograms()
    {
        using var scratch = new ScratchFolder();
        var train = new PrivateTrain(scratch);
        // The data file is missing: the training fails after the compile, whose programs are sound all the same.
        var failed = train.Invoke(train.Cache, "failed", Path.Combine(scratch.Path, "missing.npz"));
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Matches(new Regex(Compiled, RegexOptions.Multiline), failed.Output);

        train.DeleteObjects();
        Assert.Matches(new Regex(Loaded, RegexOptions.Multiline), train.Run("after").Output);
    }

    [Fact]
    public void AnyChangedCompileInputMisses()
    {
        using var scratch = new ScratchFolder();
        var train = new PrivateTrain(scratch);
        train.Run("first");

        Assert.Matches(new Regex(Compiled, RegexOptions.Multiline), train.Run("defined", "-D", "width=7").Output);
        Assert.Matches(new Regex(Compiled, RegexOptions.Multiline), train.Run("option", "--max-errors", "5").Output);
        train.EditSource();
        Assert.Matches(new Regex(Compiled, RegexOptions.Multiline), train.Run("edited").Output);
    }

    // The trained weights, and these checkpoints, of two runs' output folders are the same bits.
    private static void AssertSameWeights(string expectedFolder, string actualFolder, params string[] checkpoints)
    {
        foreach (var file in (string[])["Trained.safetensors", .. checkpoints])
        {
            var expected = SafetensorsFile.Read(Path.Combine(expectedFolder, file));
            var actual = SafetensorsFile.Read(Path.Combine(actualFolder, file));
            Assert.Equal(expected.Tensors.Keys, actual.Tensors.Keys);
            foreach (var (name, tensor) in expected.Tensors)
            {
                Assert.True(tensor.Floats.SequenceEqual(actual.Tensors[name].Floats), $"{file}: {name} differs between {expectedFolder} and {actualFolder}");
            }
        }
    }

    // The diagnostics of the front end (a cold run's standard error also holds its progress lines).
    private static string[] Warnings(string error) => [.. error.Split('\n').Where(l => l.Contains("warning", StringComparison.Ordinal))];

    // The output without what the compile line says of the compile, the epochs' times and the output folder's name.
    private static string Comparable(string output, string folder) =>
        Regex.Replace(Regex.Replace(output, @"^Trained: (compiled|loaded) (the train step \(\d+ kernels\) and its evaluation)( from the cache)? in [0-9.]+ s;", "Trained: $2;", RegexOptions.Multiline),
            @", [0-9.]+ s$", "", RegexOptions.Multiline).Replace(folder, "OUT", StringComparison.Ordinal);

    // A model with a warning no other test compiles, trained as a process with a cache of its own.
    private sealed class PrivateTrain
    {
        private readonly ScratchFolder _scratch;
        private readonly string _file;

        public PrivateTrain(ScratchFolder scratch)
        {
            _scratch = scratch;
            Cache = Path.Combine(scratch.Path, "cache");
            _file = scratch.Write("trained.mdl", """
                import std.nn;

                block twice(x: tensor) {
                    return x;
                    return x;
                }

                model Trained(B: batch, width: int = 6) {
                    input  x: f32[B, 2];
                    input  y: i32[B];
                    output logits = (linear(width) >> tanh >> linear(3))(twice(x));
                    loss   cross_entropy(logits, y);
                    optimizer adam(lr = 1e-2);
                }
                """);
        }

        public string Cache { get; }

        public string Output(string name) => Path.Combine(_scratch.Path, name);

        public CliResult Run(string output, params string[] extra) => Succeeded(Invoke(Cache, output, "spirals:classes=3", extra));

        // The same command with a cache of its own that holds nothing yet: a cold run.
        public CliResult Cold(string output, params string[] extra) => Succeeded(Invoke(Path.Combine(_scratch.Path, $"cache-{output}"), output, "spirals:classes=3", extra));

        // The training of data with the cache, whatever its exit code.
        public CliResult Invoke(string cache, string output, string data, params string[] extra) =>
            ModelcProcess.Run(new Dictionary<string, string?> { ["MODELC_CACHE"] = cache },
                ["train", _file, "--stdlib", Modelc.Stdlib, "--data", data, "--samples", "120", "--test-samples", "40", "--epochs", "2", "--threads", "1", "-o", Output(output), .. extra]);

        private static CliResult Succeeded(CliResult result)
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            return result;
        }

        // modelc check of the model, in process: the front end's count of its parameters.
        public CliResult Check() => Modelc.Run("check", _file, "--stdlib", Modelc.Stdlib);

        // One byte more: a space at the end.
        public void EditSource() => File.AppendAllText(_file, " ");

        // Every kernel object and linked library of the cache; the program entries stay.
        public void DeleteObjects()
        {
            foreach (var file in Directory.EnumerateFiles(Cache, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".o", StringComparison.Ordinal) || f.EndsWith(".so", StringComparison.Ordinal)))
            {
                File.Delete(file);
            }
        }
    }
}
