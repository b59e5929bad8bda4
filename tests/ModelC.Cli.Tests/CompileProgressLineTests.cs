using ModelC.Backend.Driver;

namespace ModelC.Cli.Tests;

/// <summary>The in-place compile progress: redrawn per kernel, erased at the end, absent when the output is not the terminal.</summary>
public sealed class CompileProgressLineTests
{
    [Fact]
    public void TheLineIsRedrawnAndErasedWhenTheLastKernelIsDone()
    {
        using var output = new StringWriter();
        var line = new CompileProgressLine(output, "Mlp");
        line.Report(new CompileProgress(1, 3));
        line.Report(new CompileProgress(2, 3));
        line.Report(new CompileProgress(3, 3));
        Assert.Equal("\rMlp: compiling kernels 1/3\u001b[K\rMlp: compiling kernels 2/3\u001b[K\r\u001b[K", output.ToString());
    }

    [Fact]
    public void OnlyTheTerminalGetsALine()
    {
        using var output = new StringWriter();
        Assert.Null(CompileProgressLine.On(output, "Mlp"));
    }
}
