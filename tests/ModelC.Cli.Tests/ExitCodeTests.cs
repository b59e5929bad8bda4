namespace ModelC.Cli.Tests;

/// <summary>0 when all is well, 1 when the program has errors, 2 when the command line is wrong.</summary>
public sealed class ExitCodeTests : IClassFixture<ScratchFolder>
{
    private const string Mlp = "examples/mlp/mlp.mdl";
    private readonly ScratchFolder _scratch;

    public ExitCodeTests(ScratchFolder scratch) => _scratch = scratch;

    [Theory]
    [InlineData("check")]
    [InlineData("ir")]
    [InlineData("summary")]
    [InlineData("graph")]
    public void AValidFileExitsWithZero(string command)
    {
        var result = Modelc.Run(command, Modelc.File(Mlp));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        Assert.NotEqual("", result.Output);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("ir")]
    [InlineData("summary")]
    [InlineData("graph")]
    public void AFileWithErrorsExitsWithOne(string command)
    {
        var file = _scratch.Write($"broken-{command}.mdl", "model M(B: batch) {\n    input x: f32[B, 4];\n    output y = nope(x);\n}\n");
        var result = Modelc.Run(command, file);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Output);
        Assert.Contains($"{file}:3:16: error", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AShapeErrorFoundDuringElaborationExitsWithOne()
    {
        var file = _scratch.Write("shape.mdl", "model M(B: batch) {\n    input x: f32[B, 4];\n    input y: f32[B, 3];\n    output z = x + y;\n}\n");
        var result = Modelc.Run("check", file);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Output);
        Assert.StartsWith($"{file}:4:", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("ir")]
    [InlineData("summary")]
    [InlineData("graph")]
    public void AMissingFileExitsWithTwo(string command)
    {
        var missing = Path.Combine(_scratch.Path, "does-not-exist.mdl");
        var result = Modelc.Run(command, missing);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal($"modelc: error: file not found: {missing}\n", result.Error);
    }

    [Fact]
    public void AMissingFileArgumentExitsWithTwo()
    {
        var result = Modelc.Run("check");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.StartsWith("modelc: error: ", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("Run 'modelc --help' for usage.\n", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--model")]
    [InlineData("--max-depth=deep")]
    [InlineData("--mode=sideways")]
    public void AnUnknownOrMalformedOptionExitsWithTwo(string option)
    {
        var result = Modelc.Run("ir", Modelc.File(Mlp), option);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Output);
        Assert.StartsWith("modelc: error: ", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("Run 'modelc --help' for usage.\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownOptionIsNamed()
    {
        var result = Modelc.Run("check", Modelc.File(Mlp), "--bogus");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'--bogus'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownCommandExitsWithTwo()
    {
        var result = Modelc.Run("frobnicate", Modelc.File(Mlp));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains("'frobnicate'", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("Run 'modelc --help' for usage.\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void NoCommandAtAllExitsWithTwo()
    {
        var result = Modelc.Run();
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.StartsWith("modelc: error: ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("classes=abc", "modelc: error: cannot read the value of 'classes': 'abc' is not an int, float, bool or padding mode\n")]
    [InlineData("classes=", "modelc: error: cannot read the value of 'classes': '' is not an int, float, bool or padding mode\n")]
    [InlineData("classes", "modelc: error: -D needs name=value, got 'classes'\n")]
    [InlineData("=5", "modelc: error: -D needs name=value, got '=5'\n")]
    [InlineData("classes=1e400", "modelc: error: cannot read the value of 'classes': '1e400' is not an int, float, bool or padding mode\n")]
    public void ABadDefineExitsWithTwo(string definition, string message)
    {
        foreach (var command in (string[])["check", "ir", "summary", "graph"])
        {
            var result = Modelc.Run(command, Modelc.File(Mlp), "-D", definition);
            Assert.True(result.ExitCode == 2, command + ": " + result);
            Assert.Equal("", result.Output);
            Assert.Equal(message, result.Error);
        }
    }

    [Fact]
    public void ADefineOfAnUnknownParameterIsADiagnostic()
    {
        var file = Modelc.File(Mlp);
        var result = Modelc.Run("check", file, "-D", "nope=1");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.StartsWith($"{file}:5:7: error MC5010: model 'Mlp' has no parameter 'nope'\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ADefineOfTheWrongTypeIsADiagnostic()
    {
        var result = Modelc.Run("check", Modelc.File(Mlp), "-D", "classes=true");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains("error", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("ir")]
    [InlineData("summary")]
    [InlineData("graph")]
    public void AModelOptionNamingNoModelExitsWithTwo(string command)
    {
        var result = Modelc.Run(command, Modelc.File("examples/einspace/vit.mdl"), "--model", "Nope");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal("modelc: error: no model named 'Nope' (models: Vit, Mixer)\n", result.Error);
    }

    [Fact]
    public void AModelOptionOnAFileWithoutModelsSaysSo()
    {
        var result = Modelc.Run("check", Path.Combine(Modelc.Stdlib, "nn.mdl"), "-m", "Mlp");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("modelc: error: no model named 'Mlp' (the file declares no models)\n", result.Error);
    }

    [Theory]
    [InlineData("ir")]
    [InlineData("summary")]
    [InlineData("graph")]
    public void ReportsOnAFileWithoutModelsExitWithTwo(string command)
    {
        var file = Path.Combine(Modelc.Stdlib, "nn.mdl");
        var result = Modelc.Run(command, file);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal($"modelc: error: {file} declares no models\n", result.Error);
    }

    [Fact]
    public void AMissingStdlibFolderMakesImportsFail()
    {
        var result = Modelc.Run("check", Modelc.File(Mlp), "--stdlib", Path.Combine(_scratch.Path, "no-stdlib"));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains(":2:8: error", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExplicitStdlibFolderIsUsed()
    {
        var result = Modelc.Run("check", Modelc.File(Mlp), "--stdlib", Modelc.Stdlib);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Mlp: ok, 669,706 parameters\n", result.Output);
    }
}
