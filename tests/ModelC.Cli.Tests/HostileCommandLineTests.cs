using System.Text;

namespace ModelC.Cli.Tests;

/// <summary>
/// Options and files chosen to break the command line — special files, unwritable outputs, sizes
/// past every limit — end in one clear error and a non-zero exit code, never a trace or exit 0.
/// </summary>
public sealed class HostileCommandLineTests : IDisposable
{
    private const string Program = """
        model Wide(B: batch) {
            input  x: f32[B, 4];
            output y = x * 2.0;
        }
        """;

    private readonly ScratchFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Model(string text = Program) => _folder.Write("model.mdl", text);

    [Fact]
    public void ADeviceIsRefusedAsTheProgram()
    {
        var result = Modelc.Run("check", "/dev/zero");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("modelc: error: cannot read /dev/zero: it is a character device, not a regular file\n", result.Error);
    }

    [Fact]
    public void GraphToAFullDeviceOrAFolderFails()
    {
        var full = Modelc.Run("graph", Model(), "-o", "/dev/full");
        Assert.Equal(1, full.ExitCode);
        Assert.StartsWith("modelc: error: cannot write /dev/full: No space left on device", full.Error, StringComparison.Ordinal);

        var folder = Modelc.Run("graph", Model(), "-o", _folder.Path);
        Assert.Equal(2, folder.ExitCode);
        Assert.Equal($"modelc: error: --output {_folder.Path} is a folder; give a file name\n", folder.Error);
    }

    /// <summary>A writer that fails as standard output redirected to /dev/full does.</summary>
    private sealed class FullDevice : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => throw new IOException("No space left on device");
    }

    [Theory]
    [InlineData("check")]
    [InlineData("summary")]
    [InlineData("ir")]
    [InlineData("graph")]
    public void OutputThatCannotBeWrittenIsAnError(string command)
    {
        using var error = new StringWriter();
        var code = ModelcApp.Run([command, Model()], new FullDevice(), error);
        Assert.Equal(1, code);
        Assert.Equal("modelc: error: cannot write the output: No space left on device\n", error.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--samples", "2147483647", "--samples must be between 1 and 10000000, got 2147483647")]
    [InlineData("--test-samples", "0", "--test-samples must be between 1 and 10000000, got 0")]
    [InlineData("--time-limit", "1e300", "--time-limit must be positive and at most a year (525600 minutes), got 1E+300")]
    public void TrainOptionsOutOfRangeAreUsageErrors(string option, string value, string message)
    {
        var result = Modelc.Run("train", Model(), "--data", "spirals", option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"modelc: error: {message}\n", result.Error);
    }

    [Fact]
    public void ABatchNoTensorCanHoldIsRefusedBeforeAllocating()
    {
        var result = Modelc.Run("run", Model(), "--batch", "2147483647", "--threads", "1");
        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith("modelc: error: Wide: tensor 'x' would hold 8.59E+09 elements at B=2147483647, more than one tensor can (2,147,483,591)\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInputDimensionNoTensorCanHoldIsRefusedBeforeAllocating()
    {
        var result = Modelc.Run("run", Model(Program.Replace("f32[B, 4]", "f32[B, 2147483647]", StringComparison.Ordinal)), "--threads", "1");
        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith("modelc: error: Wide: tensor 'x' would hold 2.147E+09 elements at B=1, more than one tensor can (2,147,483,591)\n", result.Error, StringComparison.Ordinal);
    }
}
