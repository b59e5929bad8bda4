using System.Text.RegularExpressions;
using ModelC.Runtime.Checkpoints;

namespace ModelC.Cli.Tests;

/// <summary>
/// <c>modelc train</c> through the program cache: an unchanged command loads the train step and
/// evaluation programs it compiled last time, prints the warnings that compile printed, and
/// trains to the same bits; an edited source byte, another <c>-D</c> or another compile option
/// misses, while options of the training alone (seed, learning rate, validation) still hit.
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
        foreach (var file in (string[])["Trained.safetensors", "checkpoints/epoch-0001.safetensors", "checkpoints/epoch-0002.safetensors"])
        {
            var expected = SafetensorsFile.Read(Path.Combine(train.Output("cold"), file));
            var actual = SafetensorsFile.Read(Path.Combine(train.Output("warm"), file));
            Assert.Equal(expected.Tensors.Keys, actual.Tensors.Keys);
            foreach (var (name, tensor) in expected.Tensors)
            {
                Assert.True(tensor.Floats.SequenceEqual(actual.Tensors[name].Floats), $"{file}: {name} differs between the cold and the warm run");
            }
        }
    }

    [Fact]
    public void AnyChangedCompileInputMissesAndTrainingOptionsStillHit()
    {
        using var scratch = new ScratchFolder();
        var train = new PrivateTrain(scratch);
        train.Run("first");

        Assert.Matches(new Regex(Loaded, RegexOptions.Multiline), train.Run("seeded", "--seed", "3", "--lr", "0.05", "--validation", "0.2").Output);
        Assert.Matches(new Regex(Compiled, RegexOptions.Multiline), train.Run("defined", "-D", "width=7").Output);
        Assert.Matches(new Regex(Compiled, RegexOptions.Multiline), train.Run("option", "--max-errors", "5").Output);
        train.EditSource();
        Assert.Matches(new Regex(Compiled, RegexOptions.Multiline), train.Run("edited").Output);
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

        public CliResult Run(string output, params string[] extra)
        {
            var result = ModelcProcess.Run(new Dictionary<string, string?> { ["MODELC_CACHE"] = Cache },
                ["train", _file, "--stdlib", Modelc.Stdlib, "--data", "spirals:classes=3", "--samples", "120", "--test-samples", "40", "--epochs", "2", "--batch", "16", "--threads", "1", "-o", Output(output), .. extra]);
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
