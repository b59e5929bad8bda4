namespace ModelC.Cli.Tests;

/// <summary>What one <c>modelc</c> invocation did: its exit code and everything it wrote.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>The lines of standard output, without the final empty one.</summary>
    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <inheritdoc/>
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>Runs the command line in-process, with string writers for stdout and stderr.</summary>
internal static class Modelc
{
    /// <summary>Runs <c>modelc args…</c>.</summary>
    public static CliResult Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = ModelcApp.Run(args, output, error);
        return new CliResult(code, Normalize(output.ToString()), Normalize(error.ToString()));
    }

    /// <summary>A file of the repository, as an absolute path (the tests never depend on the working directory).</summary>
    public static string File(string relative) => RepositoryPaths.Get(relative.Split('/'));

    /// <summary>The repository's standard library folder.</summary>
    public static string Stdlib => RepositoryPaths.Get("stdlib");

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}

/// <summary>A scratch folder for programs written by a test, deleted afterwards.</summary>
public sealed class ScratchFolder : IDisposable
{
    /// <summary>The folder.</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "modelc-cli-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>Creates the folder.</summary>
    public ScratchFolder() => Directory.CreateDirectory(Path);

    /// <summary>Writes a file into the folder and returns its path.</summary>
    public string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
