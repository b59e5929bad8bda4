using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ModelC.Cli.Tests;

/// <summary>
/// The MLP example built once for inference and once as a train step, for the tampered-artifact
/// tests to copy and edit; for one CPU, so that the library they tamper with is the one loaded
/// (a tampered CPU variant: BuildTargetTests).
/// </summary>
public sealed class BuiltMlp : IDisposable
{
    private readonly ScratchFolder _folder = new();

    /// <summary>Builds both artifacts.</summary>
    public BuiltMlp()
    {
        foreach (var (mode, folder) in new[] { ("infer", Infer), ("train", Train) })
        {
            var build = Modelc.Run("build", Modelc.File("examples/mlp/mlp.mdl"), "-o", folder, "--emit", "native", "--mode", mode, "--stdlib", Modelc.Stdlib, "--cpu", "x86-64-v3");
            Assert.True(build.ExitCode == 0, build.ToString());
        }
    }

    /// <summary>The folder of the forward pass.</summary>
    public string Infer => Path.Combine(_folder.Path, "infer");

    /// <summary>The folder of the train step.</summary>
    public string Train => Path.Combine(_folder.Path, "train");

    /// <inheritdoc/>
    public void Dispose() => _folder.Dispose();
}

/// <summary>
/// Built artifacts are untrusted: an edited manifest, or a library that is truncated or from
/// another build, is refused by <c>modelc run DIR</c> with one message naming the field, before
/// any kernel runs (issue 14's attack corpus).
/// </summary>
public sealed class TamperedArtifactTests(BuiltMlp built) : IClassFixture<BuiltMlp>
{
    private const string Library = "libMlp.so";
    private const string ManifestName = "Mlp.manifest.json";

    // The forward pass ("infer") has 10 buffers (8 and 9 temporaries) and 3 kernels; tensor 0 is the input x, 1..6 parameters, 7 the logits.
    public static TheoryData<string, string, string, string> Edits() => new()
    {
        { "infer", "buffers[3].id", "4", "manifest field 'buffers[3].id': 4 is not the buffer's index 3" },
        { "infer", "buffers[1].type", "7", "manifest field 'buffers[1].type': the element type is not one this runtime knows" },
        { "infer", "buffers[0].shape[1]", "\"-784\"", "manifest field 'buffers[0].shape[1]': '-784' is neither a non-negative size nor one of the symbols (B)" },
        { "infer", "buffers[0].shape[0]", "\"N\"", "manifest field 'buffers[0].shape[0]': 'N' is neither a non-negative size nor one of the symbols (B)" },
        { "infer", "buffers[8].firstKernel", "5", "manifest field 'buffers[8].firstKernel': kernel 5 does not exist (the manifest has 3 kernels)" },
        { "infer", "buffers[9].lastKernel", "0", "manifest field 'buffers[9].lastKernel': kernel 0 is not between the first kernel 1 and the last 2" },
        { "infer", "kernels[1].buffers", "[]", "manifest field 'kernels[1].buffers': the kernel receives no buffers (it needs at least its output)" },
        { "infer", "kernels[2].buffers[1]", "57", "manifest field 'kernels[2].buffers[1]': buffer 57 does not exist (the manifest has 10 buffers)" },
        { "infer", "kernels[0].buffers[0]", "-1", "manifest field 'kernels[0].buffers[0]': buffer -1 does not exist (the manifest has 10 buffers)" },
        { "infer", "kernels[0].kind", "9", "manifest field 'kernels[0].kind': the kernel kind is not one this runtime knows" },
        { "infer", "tensors[7].buffer", "10", "manifest field 'tensors[7].buffer': buffer 10 does not exist (the manifest has 10 buffers)" },
        { "infer", "tensors[1].buffer", "0", "manifest field 'tensors[1].buffer': buffer 0 already holds 'x'" },
        { "infer", "tensors[7].buffer", "8", "manifest field 'tensors[7].buffer': buffer 8 is a temporary, whose memory other values reuse" },
        { "infer", "tensors[2].name", "\"x\"", "manifest field 'tensors[2].name': 'x' is empty or names another tensor too" },
        { "infer", "tensors[1].init", """{"kind":"uniform","a":1,"b":0}""", "manifest field 'tensors[1].init': uniform(1,0) is not a distribution (uniform needs a <= b, normal a standard deviation >= 0, orthogonal a whole number of rows)" },
        { "infer", "tensors[1].init", """{"kind":"normal","a":0,"b":-1}""", "manifest field 'tensors[1].init': normal(0,-1) is not a distribution (uniform needs a <= b, normal a standard deviation >= 0, orthogonal a whole number of rows)" },
        { "infer", "tensors[1].init", """{"kind":"orthogonal","a":1,"b":0.5}""", "manifest field 'tensors[1].init': orthogonal(1,0.5) is not a distribution (uniform needs a <= b, normal a standard deviation >= 0, orthogonal a whole number of rows)" },
        { "infer", "tensors[0].init", """{"kind":"constant","a":1}""", "manifest field 'tensors[0].init': 'x' is not an f32 parameter or state" },
        { "infer", "tensors[7].replaces", "\"logits.linear_0.bias\"", "manifest field 'tensors[7].replaces': 'logits' (f32[B, 10]) does not match 'logits.linear_0.bias' (f32[512]), which it replaces" },
        { "infer", "tensors[7].replaces", "\"nothing\"", "manifest field 'tensors[7].replaces': 'logits' replaces 'nothing', which is no parameter or state (or 'logits' is no output)" },
        { "infer", "scratchBytes", "-1", "manifest field 'scratchBytes': -1 is not between 0 and 1073741824" },
        { "infer", "scratchBytes", "1099511627776", "manifest field 'scratchBytes': 1099511627776 is not between 0 and 1073741824" },
        { "infer", "symbols", """["B","B"]""", "manifest field 'symbols[1]': 'B' is declared twice" },
        { "infer", "kernels[1].symbol", "\"mc_gone\"", "manifest field 'kernels[1].symbol': '{library}' exports no 'mc_gone'; the manifest names a kernel its library lacks" },
        { "infer", "librarySha256", "null", "manifest field 'librarySha256': it is missing; rebuild the model with this version's modelc" },
        // The train step: tensor 8 is the learning rate, 9 the step count, 23 the loss, 27 the first weight's update.
        { "train", "tensors[27].replaces", "\"logits.linear_0.bias\"", "manifest field 'tensors[27].replaces': 'logits.linear_0.weight:next' (f32[512, 784]) does not match 'logits.linear_0.bias' (f32[512]), which it replaces" },
        { "train", "tensors[27].replaces", "\"x\"", "manifest field 'tensors[27].replaces': 'logits.linear_0.weight:next' replaces 'x', which is no parameter or state (or 'logits.linear_0.weight:next' is no output)" },
        { "train", "training.lossOutput", "\"logits.linear_0.weight\"", "manifest field 'training.lossOutput': 'logits.linear_0.weight' is not an f32 output of the model" },
        { "train", "training.stepState", "\"nope\"", "manifest field 'training.stepState': 'nope' is not an f32 state of the model" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void AnEditedManifestIsRefusedNamingTheField(string build, string field, string value, string message)
    {
        using var scratch = Copy(build == "train" ? built.Train : built.Infer);
        Edit(scratch.Path, field, value);
        AssertRefused(Modelc.Run("run", scratch.Path, "--batch", "2", "--repeat", "0"), scratch.Path, message);
    }

    // Edits the validator cannot see: the manifest stays consistent with itself, not with the code.
    // The library carries its manifest's hash; on the old code these ran with exit 0 (a wrong
    // result, reads past the input, half an output never written) or faulted.
    [Theory]
    [InlineData("buffers[0].shape[1]", "\"392\"")] // the input's width halved
    [InlineData("buffers[7].shape[1]", "\"20\"")] // the output's width doubled
    [InlineData("buffers[0].type", "\"i32\"")] // the input's element type rewritten
    public void AManifestEditedConsistentlyWithItselfIsRefusedByItsLibrarysStamp(string field, string value)
    {
        using var scratch = Copy(built.Infer);
        Edit(scratch.Path, field, value);
        AssertRefusedInSubprocess(scratch.Path, "the manifest does not match its library: '{library}' was built with a manifest of SHA-256 ");
    }

    [Fact]
    public void SwappedKernelSymbolsAreRefusedByTheLibrarysStamp()
    {
        using var scratch = Copy(built.Infer);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(scratch.Path, ManifestName)))!;
        var (first, last) = (manifest["kernels"]![0]!["symbol"]!.ToString(), manifest["kernels"]![2]!["symbol"]!.ToString());
        Edit(scratch.Path, "kernels[0].symbol", $"\"{last}\"");
        Edit(scratch.Path, "kernels[2].symbol", $"\"{first}\"");
        AssertRefusedInSubprocess(scratch.Path, "the manifest does not match its library: '{library}' was built with a manifest of SHA-256 ");
    }

    [Fact]
    public void AManifestOnlyReformattedStillLoads()
    {
        using var scratch = Copy(built.Infer);
        Edit(scratch.Path, "name", "\"Mlp\"");
        var run = Modelc.Run("run", scratch.Path, "--batch", "2", "--repeat", "0");
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Theory]
    [InlineData(2000)]
    [InlineData(20000)]
    [InlineData(-100)]
    public void ATruncatedLibraryIsRefusedWithoutASignal(int length)
    {
        using var scratch = Copy(built.Infer);
        var library = Path.Combine(scratch.Path, Library);
        using (var file = File.OpenWrite(library))
        {
            file.SetLength(length > 0 ? length : file.Length + length);
        }
        AssertRefusedInSubprocess(scratch.Path, "manifest field 'librarySha256': '{library}' has SHA-256 ");
    }

    [Fact]
    public void AnotherModelsLibraryIsRefusedWithoutASignal()
    {
        using var scratch = Copy(built.Infer);
        File.Copy(Path.Combine(built.Train, Library), Path.Combine(scratch.Path, Library), overwrite: true);
        AssertRefusedInSubprocess(scratch.Path, "manifest field 'librarySha256': '{library}' has SHA-256 ");
    }

    private static ScratchFolder Copy(string folder)
    {
        var scratch = new ScratchFolder();
        foreach (var file in new[] { Library, ManifestName })
        {
            File.Copy(Path.Combine(folder, file), Path.Combine(scratch.Path, file));
        }
        return scratch;
    }

    // Sets the JSON value at a path like "kernels[2].buffers[1]" (object keys and array indices).
    private static void Edit(string folder, string field, string value)
    {
        var path = Path.Combine(folder, ManifestName);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        var steps = field.Replace("[", ".[", StringComparison.Ordinal).Split('.');
        var parent = root;
        foreach (var step in steps[..^1])
        {
            parent = step.StartsWith('[') ? parent[int.Parse(step[1..^1], System.Globalization.CultureInfo.InvariantCulture)]! : parent[step]!;
        }
        var last = steps[^1];
        var node = JsonNode.Parse(value);
        if (last.StartsWith('['))
        {
            parent.AsArray()[int.Parse(last[1..^1], System.Globalization.CultureInfo.InvariantCulture)] = node;
        }
        else
        {
            parent.AsObject()[last] = node;
        }
        File.WriteAllText(path, root.ToJsonString());
    }

    private static void AssertRefused(CliResult result, string folder, string message)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"modelc: error: {message.Replace("{library}", Path.Combine(folder, Library), StringComparison.Ordinal)}\n", result.Error);
        Assert.DoesNotContain("loaded", result.Output, StringComparison.Ordinal);
    }

    // The library's own faults would kill the test host: these run in a process of their own.
    private static void AssertRefusedInSubprocess(string folder, string messageStart)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "modelc.dll"), "run", folder, "--batch", "2", "--repeat", "0" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 2, $"exit {process.ExitCode}\n{output.Result}\n{error}");
        Assert.StartsWith($"modelc: error: {messageStart.Replace("{library}", Path.Combine(folder, Library), StringComparison.Ordinal)}", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
