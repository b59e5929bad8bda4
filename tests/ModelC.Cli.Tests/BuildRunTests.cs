using System.Globalization;
using System.Text.RegularExpressions;

namespace ModelC.Cli.Tests;

/// <summary><c>modelc build</c> and <c>modelc run</c>: artifacts per example, and built models running without LLVM.</summary>
public sealed class BuildRunTests
{
    public static TheoryData<string> Examples() =>
    [
        "examples/mlp/mlp.mdl",
        "examples/macaron/macaron.mdl",
        "examples/macaron/reverse.mdl",
        "examples/mgno/poisson.mdl",
        "examples/mgno/poisson_deep.mdl",
        "examples/mgno/darcy.mdl",
        "examples/einspace/conv_net.mdl",
        "examples/einspace/attention.mdl",
        "examples/einspace/vit.mdl",
        "examples/einspace/resnet18.mdl",
        "examples/more/families.mdl",
    ];

    [Theory]
    [MemberData(nameof(Examples))]
    public void BuildWritesLibraryAndManifestPerModel(string example)
    {
        using var scratch = new ScratchFolder();
        var result = Modelc.Run("build", Modelc.File(example), "-o", scratch.Path, "--emit", "native", "--stdlib", Modelc.Stdlib);
        Assert.True(result.ExitCode == 0, result.ToString());
        var built = Runtime.Execution.ModelArtifact.ModelsIn(scratch.Path);
        Assert.NotEmpty(built);
        foreach (var model in built)
        {
            Assert.Contains($"{model}: ", result.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Runtime.Execution.ModelArtifact.LibraryPath(scratch.Path, model)), model);
        }
        Assert.Empty(Directory.EnumerateFiles(scratch.Path, "*.tmp"));
    }

    [Fact]
    public void BuiltModelRunsInAProcessThatCannotLoadLlvm()
    {
        using var scratch = new ScratchFolder();
        var build = Modelc.Run("build", Modelc.File("examples/mlp/mlp.mdl"), "-o", scratch.Path, "--emit", "native", "--stdlib", Modelc.Stdlib);
        Assert.True(build.ExitCode == 0, build.ToString());
        var jit = Modelc.Run("run", Modelc.File("examples/mlp/mlp.mdl"), "--stdlib", Modelc.Stdlib, "--batch", "3", "--repeat", "0");
        Assert.True(jit.ExitCode == 0, jit.ToString());

        // MODELC_LLVM names a file that does not exist: any attempt to load LLVM would fail loudly.
        var built = ModelcProcess.Run(new Dictionary<string, string?> { ["MODELC_LLVM"] = Path.Combine(scratch.Path, "no-llvm-here.so") },
            "run", scratch.Path, "--batch", "3", "--repeat", "0");
        Assert.True(built.ExitCode == 0, built.ToString());
        Assert.StartsWith("Mlp: loaded 3 kernels from ", built.Output, StringComparison.Ordinal);
        // The same seed gives the same logits compiled in process and loaded from the library.
        Assert.Equal(LogitsLine(jit.Output), LogitsLine(built.Output));
    }

    [Fact]
    public void BuildCompilesTheForwardPassAndTrainStepAsOneBatchAndAgainFromTheCache()
    {
        using var scratch = new ScratchFolder();
        // Sizes no other test uses, so that the run's cache holds none of its kernels yet.
        var file = scratch.Write("odd.mdl", """
            model Odd(B: batch) {
                input  x: f32[B, 13];
                input  y: i32[B];
                output logits = (linear(11) >> tanh >> linear(3))(x);
                loss   cross_entropy(logits, y);
            }
            """);
        var output = Path.Combine(scratch.Path, "out");
        string CompileLine()
        {
            var result = Modelc.Run("build", file, "-o", output, "--emit", "source", "--stdlib", Modelc.Stdlib);
            Assert.True(result.ExitCode == 0, result.ToString());
            return result.Output.Split('\n').Single(l => l.StartsWith("Odd: compiled ", StringComparison.Ordinal));
        }

        // Other tests of the run share the cache and may have compiled the loss's kernels already.
        const string Line = @"^Odd: compiled the forward pass and the train step for x86-64-v3 and x86-64-v4: (?<kernels>\d+) kernels \((?<distinct>\d+) distinct: (?<compiled>\d+) compiled, (?<cached>\d+) from the cache\) in \d+\.\d s$";
        var coldLine = CompileLine();
        var cold = Regex.Match(coldLine, Line);
        Assert.True(cold.Success, coldLine);
        int Count(Match match, string name) => int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
        Assert.True(Count(cold, "distinct") < Count(cold, "kernels"), cold.Value);
        Assert.True(Count(cold, "compiled") > 0, cold.Value);
        Assert.Equal(Count(cold, "distinct"), Count(cold, "compiled") + Count(cold, "cached"));
        var warmLine = CompileLine();
        var warm = Regex.Match(warmLine, Line);
        Assert.True(warm.Success, warmLine);
        Assert.Equal(0, Count(warm, "compiled"));
        Assert.Equal(Count(cold, "distinct"), Count(warm, "cached"));
    }

    [Fact]
    public void RunOnAnEmptyDirectorySaysSo()
    {
        using var scratch = new ScratchFolder();
        var result = Modelc.Run("run", scratch.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"modelc: error: '{scratch.Path}' holds no built models (no *.manifest.json)\n", result.Error);
    }

    [Fact]
    public void SaveTensorsWritesOneModelsInputsAndOutputs()
    {
        using var scratch = new ScratchFolder();
        var path = Path.Combine(scratch.Path, "t.safetensors");
        var several = Modelc.Run("run", Modelc.File("examples/more/families.mdl"), "--stdlib", Modelc.Stdlib, "-r", "0", "--save-tensors", path);
        Assert.Equal(2, several.ExitCode);
        Assert.Equal("modelc: error: --save-tensors writes one model's tensors; choose it with --model\n", several.Error);
        Assert.False(File.Exists(path));

        var one = Modelc.Run("run", Modelc.File("examples/mlp/mlp.mdl"), "--stdlib", Modelc.Stdlib, "-r", "0", "-b", "2", "--save-tensors", path);
        Assert.True(one.ExitCode == 0, one.ToString());
        var saved = Runtime.Checkpoints.SafetensorsFile.Read(path);
        Assert.Equal(["logits", "x"], saved.Tensors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { 2, 10 }, saved.Tensors["logits"].Shape.ToArray());
        Assert.Equal("Mlp", saved.Metadata["model"]);
    }

    private static string LogitsLine(string output) => output.Split('\n').Single(l => l.StartsWith("  logits ", StringComparison.Ordinal));
}
