namespace ModelC.Cli.Tests;

/// <summary>
/// Many errors end in a count after <c>--max-errors</c> of them, and a batch size below 1 is a
/// usage error that names the option, not the runtime's parameter.
/// </summary>
public sealed class ErrorLimitTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // 25 unknown names, one error each.
    private string ManyErrors() => _folder.Write("many.mdl",
        "model M(B: batch) {\n    input x: f32[B, 4];\n"
        + string.Concat(Enumerable.Range(0, 25).Select(i => $"    let a{i} = missing{i};\n"))
        + "    output y = x;\n}\n");

    [Fact]
    public void CheckPrintsTwentyErrorsAndCountsTheRest()
    {
        var result = Modelc.Run("check", ManyErrors(), "--diagnostic-format", "msbuild");
        Assert.Equal(1, result.ExitCode);
        var lines = result.Error.TrimEnd('\n').Split('\n');
        Assert.Equal(21, lines.Length);
        Assert.EndsWith("error MC2001: unknown name 'missing19'", lines[19], StringComparison.Ordinal);
        Assert.Equal("modelc: stopped after 20 errors; 5 more not shown (--max-errors sets the limit)", lines[20]);
    }

    [Fact]
    public void MaxErrorsSetsTheLimit()
    {
        var result = Modelc.Run("check", ManyErrors(), "--diagnostic-format", "msbuild", "--max-errors", "2");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(3, result.Error.TrimEnd('\n').Split('\n').Length);
        Assert.EndsWith("modelc: stopped after 2 errors; 23 more not shown (--max-errors sets the limit)\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxErrorsBelowOneIsAUsageError()
    {
        var result = Modelc.Run("check", ManyErrors(), "--max-errors", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("modelc: error: --max-errors must be at least 1, got 0\n", result.Error);
    }

    [Fact]
    public void RunWithBatchZeroIsAUsageErrorNamingTheOption()
    {
        var model = _folder.Write("model.mdl", "model M(B: batch) {\n    input x: f32[B, 4];\n    output y = x * 2.0;\n}\n");
        var result = Modelc.Run("run", model, "--batch", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("modelc: error: --batch must be at least 1, got 0\n", result.Error);
    }
}
