using System.Diagnostics;
using System.Text;

namespace ModelC.Build.Tests;

/// <summary>What one <c>dotnet</c> command did: its exit code and its output (stdout and stderr, interleaved).</summary>
internal sealed record CommandResult(string Command, int ExitCode, string Output)
{
    /// <inheritdoc/>
    public override string ToString() => $"$ {Command}\nexit {ExitCode}\n{Output}";
}

/// <summary>
/// Runs the <c>dotnet</c> command line in a clean environment: no telemetry or banners, no build
/// servers left behind, a private NuGet package folder when given, and none of the MSBuild
/// variables of the test run's own build.
/// </summary>
internal sealed class Dotnet(string? packagesFolder = null)
{
    /// <summary>Runs <c>dotnet args…</c> in <paramref name="workingDirectory"/>, killing it after <paramref name="timeout"/>.</summary>
    public CommandResult Run(string workingDirectory, TimeSpan timeout, params string[] args) =>
        Run(new Dictionary<string, string>(), workingDirectory, timeout, args);

    /// <summary>As <see cref="Run(string, TimeSpan, string[])"/>, with <paramref name="environment"/> added to the environment.</summary>
    public CommandResult Run(IReadOnlyDictionary<string, string> environment, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }
        Configure(start.Environment);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var command = "dotnet " + string.Join(' ', args);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"timed out after {timeout.TotalSeconds:F0} s: {new CommandResult(command, -1, Text(output))}");
        }
        // The timed wait returns at exit; this one also waits for the last output lines.
        process.WaitForExit();
        return new CommandResult(command, process.ExitCode, Text(output));
    }

    private void Configure(IDictionary<string, string?> environment)
    {
        // `dotnet test` runs the tests with MSBuild's variables of its own build (MSBuildExtensionsPath,
        // MSBUILD_EXE_PATH, …); the nested builds must find their own.
        foreach (var name in environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            environment.Remove(name);
        }
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        if (packagesFolder is not null)
        {
            // A private package folder: a ModelC.Build 0.1.0 cached by an earlier run is never used.
            environment["NUGET_PACKAGES"] = packagesFolder;
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
