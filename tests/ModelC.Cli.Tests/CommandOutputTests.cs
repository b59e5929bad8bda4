using System.Text.RegularExpressions;

namespace ModelC.Cli.Tests;

/// <summary>What <c>check</c>, <c>ir</c>, <c>summary</c> and <c>graph</c> print, and where.</summary>
public sealed partial class CommandOutputTests : IClassFixture<ScratchFolder>
{
    private readonly ScratchFolder _scratch;

    public CommandOutputTests(ScratchFolder scratch) => _scratch = scratch;

    // ------------------------------------------------------------------ check

    [Theory]
    [InlineData("examples/mgno/darcy.mdl", "Darcy: ok, 572,661 parameters")]
    [InlineData("examples/macaron/macaron.mdl", "Macaron: ok, 1,581,568 parameters")]
    [InlineData("examples/mlp/mlp.mdl", "Mlp: ok, 669,706 parameters")]
    public void CheckReportsTheParameterCount(string file, string line)
    {
        var result = Modelc.Run("check", Modelc.File(file));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(line + "\n", result.Output);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void CheckReportsEveryModelOfAFileInOrder()
    {
        var result = Modelc.Run("check", Modelc.File("examples/more/families.mdl"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["GluFfn", "SeluNet", "Kan", "Hopfield", "DeepONet"], result.OutputLines.Select(l => l.Split(':')[0]));
        Assert.All(result.OutputLines, l => Assert.Matches(OkLine(), l));
    }

    [Fact]
    public void CheckWithAModelOptionReportsOnlyThatModel()
    {
        var result = Modelc.Run("check", Modelc.File("examples/einspace/vit.mdl"), "--model", "Mixer");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["Mixer"], result.OutputLines.Select(l => l.Split(':')[0]));
    }

    [Fact]
    public void EveryExampleChecks()
    {
        foreach (var file in Directory.GetFiles(RepositoryPaths.Get("examples"), "*.mdl", SearchOption.AllDirectories))
        {
            var result = Modelc.Run("check", file);
            Assert.True(result.ExitCode == 0, file + "\n" + result);
            Assert.NotEmpty(result.OutputLines);
            Assert.All(result.OutputLines, l => Assert.Matches(OkLine(), l));
        }
    }

    [Theory]
    [InlineData("nn.mdl")]
    [InlineData("mgno.mdl")]
    [InlineData("einspace.mdl")]
    public void StdlibFilesCheckWithNoModels(string name)
    {
        var file = Path.Combine(Modelc.Stdlib, name);
        var result = Modelc.Run("check", file);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        Assert.Matches($"^{Regex.Escape(file)}: ok, [0-9]+ declarations, no models\n$", result.Output);
    }

    [Fact]
    public void AFileWithOneDeclarationSaysDeclarationInTheSingular()
    {
        var file = _scratch.Write("one.mdl", "const n = 1;\n");
        Assert.Equal($"{file}: ok, 1 declaration, no models\n", Modelc.Run("check", file).Output);
    }

    [Fact]
    public void AnEmptyFileChecks()
    {
        var file = _scratch.Write("empty.mdl", "");
        var result = Modelc.Run("check", file);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"{file}: ok, 0 declarations, no models\n", result.Output);
    }

    // ------------------------------------------------------------ diagnostics

    [Fact]
    public void DiagnosticsGoToStderrWithPositionAndCaret()
    {
        var file = _scratch.Write("errors.mdl",
            "import std.nn;\n" +
            "\n" +
            "model M(B: batch) {\n" +
            "    input x: f32[B, 784];\n" +
            "    output y = mlp([512, 10])(z);\n" +
            "}\n");
        var result = Modelc.Run("check", file);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        var lines = result.Error.Split('\n');
        Assert.StartsWith($"{file}:5:31: error MC", lines[0], StringComparison.Ordinal);
        Assert.Equal(" 5 |     output y = mlp([512, 10])(z);", lines[1]);
        Assert.Equal("   |                               ^", lines[2]);
    }

    [Fact]
    public void EverySyntaxErrorIsPrintedWithItsExcerpt()
    {
        var file = _scratch.Write("syntax.mdl", "block a = relu\nblock b = ;\nconst c = 1 $;\n");
        var result = Modelc.Run("check", file);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal(
            $"{file}:1:15: error MC1001: expected ';' after 'relu'\n" +
            " 1 | block a = relu\n" +
            "   |               ^\n" +
            $"{file}:2:11: error MC1001: unexpected ';'; expected an expression\n" +
            " 2 | block b = ;\n" +
            "   |           ^\n" +
            $"{file}:3:13: error MC1002: unexpected character '$'\n" +
            " 3 | const c = 1 $;\n" +
            "   |             ^\n",
            result.Error);
    }

    [Fact]
    public void ErrorsInAnImportedFileNameThatFile()
    {
        var library = _scratch.Write("lib.mdl", "block broken = ;\n");
        var main = _scratch.Write("main.mdl", "import \"lib.mdl\";\nmodel M(B: batch) { input x: f32[B, 2]; output y = x; }\n");
        var result = Modelc.Run("check", main);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.StartsWith($"{library}:1:16: error MC1001", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCaretLineFollowsItsSourceLine()
    {
        var file = _scratch.Write("many.mdl", "const a = ;\nconst b = ;\nconst c = ;\n");
        var lines = Modelc.Run("check", file).Error.TrimEnd('\n').Split('\n');
        Assert.Equal(9, lines.Length);
        for (var i = 0; i < lines.Length; i += 3)
        {
            Assert.Matches($"^{Regex.Escape(file)}:[0-9]+:[0-9]+: error MC[0-9]{{4}}: ", lines[i]);
            Assert.Matches("^ [0-9]+ \\| ", lines[i + 1]);
            Assert.Matches("^ +\\| +\\^~*$", lines[i + 2]);
        }
    }

    // --------------------------------------------------------------------- ir

    [Fact]
    public void IrPrintsTheGraph()
    {
        var result = Modelc.Run("ir", Modelc.File("examples/mlp/mlp.mdl"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        var lines = result.OutputLines;
        Assert.Equal("graph Mlp {", lines[0]);
        Assert.Equal("}", lines[^1]);
        Assert.Contains("  %0 = input[x] : f32[B,784]", lines);
        Assert.Contains("  %1 = input[y] : i32[B]", lines);
        Assert.Contains(lines, l => l.Contains("contract[", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("param[logits.linear_0.weight", StringComparison.Ordinal) && l.EndsWith(": f32[512,784]", StringComparison.Ordinal));
        // Nodes are numbered densely from %0.
        var numbers = lines.Select(l => NodeNumber().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(0, numbers.Count), numbers);
    }

    [Fact]
    public void IrPrintsOneGraphPerModel()
    {
        var result = Modelc.Run("ir", Modelc.File("examples/einspace/vit.mdl"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["graph Vit {", "graph Mixer {"], result.OutputLines.Where(l => l.StartsWith("graph ", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheInferenceGraphHasNoLoss()
    {
        var file = Modelc.File("examples/mlp/mlp.mdl");
        var training = Modelc.Run("ir", file, "--mode", "train");
        var inference = Modelc.Run("ir", file, "--mode", "infer");
        var automatic = Modelc.Run("ir", file);
        Assert.Equal(0, training.ExitCode);
        Assert.Equal(0, inference.ExitCode);
        Assert.Contains("cross_entropy", training.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("cross_entropy", inference.Output, StringComparison.Ordinal);
        // A model with a loss is compiled for training unless told otherwise.
        Assert.Equal(training.Output, automatic.Output);
    }

    // ---------------------------------------------------------------- summary

    [Fact]
    public void SummaryPrintsATable()
    {
        var result = Modelc.Run("summary", Modelc.File("examples/mlp/mlp.mdl"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        var lines = result.OutputLines;
        Assert.Matches("^Layer \\(type\\) +Output shape +Param #$", lines[0]);
        Assert.Matches("^─+$", lines[1]);
        Assert.Matches("^Mlp +669,706$", lines[2]);
        Assert.Contains(lines, l => Regex.IsMatch(l, "^├─ logits \\(mlp\\) +f32\\[B,10\\] +669,706$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, "linear_0 \\(linear\\) +f32\\[B,512\\] +401,920$"));
        Assert.Contains("Trainable parameters: 669,706", lines);
        Assert.Contains("Inputs: x f32[B,784], y i32[B]", lines);
        Assert.Contains("Outputs: logits f32[B,10]", lines);
        Assert.Contains(lines, l => l.StartsWith("Optimizer: adamw(lr = 0.001", StringComparison.Ordinal));
        // Every row of the table is as wide as the header.
        var rule = Array.FindLastIndex(lines, l => l.StartsWith('─'));
        Assert.All(lines[2..rule], l => Assert.Equal(lines[0].Length, l.Length));
    }

    [Fact]
    public void SummaryDepthLimitsTheRows()
    {
        var file = Modelc.File("examples/mlp/mlp.mdl");
        var full = Modelc.Run("summary", file).OutputLines.Length;
        var shallow = Modelc.Run("summary", file, "--depth", "1");
        Assert.Equal(0, shallow.ExitCode);
        Assert.True(shallow.OutputLines.Length < full);
        Assert.Contains(shallow.OutputLines, l => l.Contains("logits (mlp)", StringComparison.Ordinal));
        Assert.DoesNotContain(shallow.OutputLines, l => l.Contains("relu_0", StringComparison.Ordinal));
    }

    [Fact]
    public void SummaryOfTheMacaronTotalsItsParameters()
    {
        var result = Modelc.Run("summary", Modelc.File("examples/macaron/macaron.mdl"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Trainable parameters: 1,581,568", result.OutputLines);
    }

    // ------------------------------------------------------------------ graph

    [Theory]
    [InlineData("examples/mlp/mlp.mdl")]
    [InlineData("examples/mgno/darcy.mdl")]
    [InlineData("examples/einspace/resnet18.mdl")]
    [InlineData("examples/macaron/reverse.mdl")]
    public void GraphPrintsValidDot(string file)
    {
        var result = Modelc.Run("graph", Modelc.File(file));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        Assert.StartsWith("digraph \"", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("}\n", result.Output, StringComparison.Ordinal);
        AssertBalanced(result.Output);
        Assert.Contains(" -> ", result.Output, StringComparison.Ordinal);
        Assert.Contains("subgraph \"cluster_", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void GraphDrawsInputsLayersAndOutputs()
    {
        var dot = Modelc.Run("graph", Modelc.File("examples/mlp/mlp.mdl")).Output;
        Assert.StartsWith("digraph \"Mlp\" {\n", dot, StringComparison.Ordinal);
        Assert.Contains("\"input:x\" [label=\"input x\\nf32[B,784]\", shape=ellipse", dot, StringComparison.Ordinal);
        Assert.Contains("\"logits.linear_0\" [label=\"linear_0 (linear)\\nf32[B,512]\"];", dot, StringComparison.Ordinal);
        Assert.Contains("\"input:x\" -> \"logits.linear_0\";", dot, StringComparison.Ordinal);
        Assert.Contains("\"result:logits\"", dot, StringComparison.Ordinal);
    }

    [Fact]
    public void GraphDepthCollapsesBlocks()
    {
        var file = Modelc.File("examples/mlp/mlp.mdl");
        var full = Modelc.Run("graph", file).Output;
        var collapsed = Modelc.Run("graph", file, "--depth", "1");
        Assert.Equal(0, collapsed.ExitCode);
        AssertBalanced(collapsed.Output);
        Assert.True(collapsed.Output.Length < full.Length);
        Assert.DoesNotContain("logits.linear_0", collapsed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void GraphOfSeveralModelsIsOneDigraphEach()
    {
        var result = Modelc.Run("graph", Modelc.File("examples/einspace/vit.mdl"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, Regex.Matches(result.Output, "^digraph ", RegexOptions.Multiline).Count);
        AssertBalanced(result.Output);
    }

    [Fact]
    public void GraphWritesADotFile()
    {
        var target = Path.Combine(_scratch.Path, "mlp.dot");
        var result = Modelc.Run("graph", Modelc.File("examples/mlp/mlp.mdl"), "-o", target);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Output);
        Assert.Equal(Modelc.Run("graph", Modelc.File("examples/mlp/mlp.mdl")).Output, File.ReadAllText(target));
    }

    // ---------------------------------------------------------------- defines

    [Fact]
    public void ADefineChangesTheParameterCount()
    {
        var file = Modelc.File("examples/mlp/mlp.mdl");
        var result = Modelc.Run("check", file, "-D", "classes=5");
        Assert.True(result.ExitCode == 0, result.ToString());
        // The last layer shrinks from 512·10 + 10 to 512·5 + 5 parameters.
        Assert.Equal("Mlp: ok, 667,141 parameters\n", result.Output);
        Assert.Equal("Mlp: ok, 667,141 parameters\n", Modelc.Run("check", file, "--define", "classes=5").Output);
        Assert.Equal("Mlp: ok, 667,141 parameters\n", Modelc.Run("check", file, "-D", " classes = 5 ").Output);
    }

    [Fact]
    public void ADefineChangesTheGraph()
    {
        var file = Modelc.File("examples/mgno/darcy.mdl");
        var small = Modelc.Run("ir", file, "-D", "n=64");
        Assert.True(small.ExitCode == 0, small.ToString());
        Assert.Contains("input[a] : f32[B,1,64,64]", small.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("f32[B,1,256,256]", small.Output, StringComparison.Ordinal);
        // The grid size does not change the weights.
        Assert.Equal("Darcy: ok, 572,661 parameters\n", Modelc.Run("check", file, "-D", "n=64").Output);
    }

    [Fact]
    public void ADefineSetsAPaddingMode()
    {
        var file = Modelc.File("examples/mgno/poisson.mdl");
        var zeros = Modelc.Run("ir", file).Output;
        var circular = Modelc.Run("ir", file, "-D", "bc=circular");
        Assert.True(circular.ExitCode == 0, circular.ToString());
        Assert.NotEqual(zeros, circular.Output);
    }

    [Fact]
    public void SeveralDefinesApplyTogetherAndTheLastOfANameWins()
    {
        var file = Modelc.File("examples/mlp/mlp.mdl");
        var result = Modelc.Run("check", file, "-D", "classes=7", "-D", "classes=5");
        Assert.Equal("Mlp: ok, 667,141 parameters\n", result.Output);
        var vit = Modelc.Run("check", Modelc.File("examples/einspace/vit.mdl"), "-m", "Vit", "-D", "classes=5", "-D", "d=64");
        Assert.True(vit.ExitCode == 0, vit.ToString());
        Assert.NotEqual(Modelc.Run("check", Modelc.File("examples/einspace/vit.mdl"), "-m", "Vit").Output, vit.Output);
    }

    [Fact]
    public void ADefineThatBreaksAShapeIsADiagnostic()
    {
        // MgNO halves the grid five times: 100 is not divisible by 32.
        var file = Modelc.File("examples/mgno/darcy.mdl");
        var result = Modelc.Run("check", file, "-D", "n=100");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains("error", result.Error, StringComparison.Ordinal);
    }

    // -------------------------------------------------------------- builtins

    [Fact]
    public void BuiltinsListsTheLayers()
    {
        var result = Modelc.Run("builtins");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Contains("linear", result.Output, StringComparison.Ordinal);
        Assert.Contains("conv", result.Output, StringComparison.Ordinal);
    }

    private static void AssertBalanced(string dot)
    {
        // Braces balance outside quoted strings, and never close more than they opened.
        var depth = 0;
        var quoted = false;
        for (var i = 0; i < dot.Length; i++)
        {
            switch (dot[i])
            {
                case '\\' when quoted:
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '{' when !quoted:
                    depth++;
                    break;
                case '}' when !quoted:
                    depth--;
                    Assert.True(depth >= 0, "a '}' closes nothing");
                    break;
            }
        }
        Assert.False(quoted, "an unterminated string");
        Assert.Equal(0, depth);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z_0-9]*: ok, [0-9]{1,3}(,[0-9]{3})* parameters$")]
    private static partial Regex OkLine();

    [GeneratedRegex("^  %([0-9]+) = ")]
    private static partial Regex NodeNumber();
}
