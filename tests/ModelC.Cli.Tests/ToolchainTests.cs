using System.Text.RegularExpressions;

namespace ModelC.Cli.Tests;

/// <summary>
/// A machine without the tools a command needs (libLLVM for compiling, a C compiler driver for
/// linking) gets one <c>modelc: error: …</c> line saying what to install and exit code 2, never a
/// stack trace. Process-level: only a real process shows an unhandled exception.
/// </summary>
public sealed class ToolchainTests : IClassFixture<ScratchFolder>
{
    private const string Mlp = "examples/mlp/mlp.mdl";
    private readonly ScratchFolder _scratch;

    public ToolchainTests(ScratchFolder scratch) => _scratch = scratch;

    public static TheoryData<string, string> BadLibraries() => new()
    {
        { "missing", "MODELC_LLVM names '{file}', which cannot be loaded as a shared library." },
        { "text", "MODELC_LLVM names '{file}', which cannot be loaded as a shared library." },
        { "libm", "'{file}' is not LLVM 15 or newer; ModelC needs LLVM 15–19." },
    };

    [Theory]
    [MemberData(nameof(BadLibraries))]
    public void ABadModelcLlvmIsOneLineForRunBuildAndTrain(string kind, string message)
    {
        var file = kind switch
        {
            "missing" => Path.Combine(_scratch.Path, "no-such-libLLVM.so"),
            "text" => _scratch.Write("not-a-library.so", "just text\n"),
            _ => "libm.so.6",
        };
        foreach (var command in Commands(_scratch.Path))
        {
            var result = ModelcProcess.Run(new Dictionary<string, string?> { ["MODELC_LLVM"] = file }, command);
            AssertOneLine(result, message.Replace("{file}", file, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void WithoutAnyLibLlvmTheReadmesFirstCommandPrintsOneLine()
    {
        var result = ModelcProcess.RunWithoutLlvm(ReadmeFirstCommand());
        AssertOneLine(result, "no LLVM 15–19 shared library was found. Install one, e.g. 'apt-get install libllvm19' (Debian/Ubuntu), or set MODELC_LLVM to the path of libLLVM-N.so.");
    }

    [Fact]
    public void WithoutAnyLibLlvmBuildAndTrainPrintOneLine()
    {
        foreach (var command in Commands(_scratch.Path).Skip(1))
        {
            var result = ModelcProcess.RunWithoutLlvm(command);
            Assert.StartsWith("modelc: error: no LLVM 15–19 shared library was found.", result.Error, StringComparison.Ordinal);
            AssertOneLine(result, result.Error.TrimEnd('\n')["modelc: error: ".Length..]);
        }
    }

    [Fact]
    public void BuildWithoutACCompilerSaysSoBeforeCompiling()
    {
        var emptyPath = Directory.CreateDirectory(Path.Combine(_scratch.Path, "empty-path")).FullName;
        var output = Path.Combine(_scratch.Path, "no-cc");
        var result = ModelcProcess.Run(new Dictionary<string, string?> { ["PATH"] = emptyPath, ["CC"] = null }, "build", Modelc.File(Mlp), "-o", output);
        AssertOneLine(result, "no C compiler driver to link with: looked for $CC, cc, gcc and clang on PATH; install one (e.g. 'apt-get install gcc') or set CC");
        Assert.Equal("", result.Output);
        Assert.False(Directory.Exists(output));
    }

    // run, build and train of the MLP: each needs LLVM.
    private static IEnumerable<string[]> Commands(string scratch) =>
    [
        ["run", Modelc.File(Mlp), "--repeat", "0"],
        ["build", Modelc.File(Mlp), "-o", Path.Combine(scratch, "built")],
        ["train", Modelc.File(Mlp), "--data", "spirals", "-o", Path.Combine(scratch, "trained")],
    ];

    // The arguments of the README's first command (`dotnet run --project … -- ARGS   # comment`).
    private static string[] ReadmeFirstCommand()
    {
        var readme = File.ReadAllText(RepositoryPaths.Get("README.md"));
        var line = Regex.Match(readme, "```sh\n(dotnet run --project compiler/ModelC.Cli -- [^\n#]*)").Groups[1].Value;
        Assert.NotEqual("", line);
        return line[(line.IndexOf(" -- ", StringComparison.Ordinal) + 4)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static void AssertOneLine(CliResult result, string message)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"modelc: error: {message}\n", result.Error);
        Assert.DoesNotContain("Unhandled", result.Output, StringComparison.Ordinal);
    }
}
