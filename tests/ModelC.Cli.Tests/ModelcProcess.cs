using System.Diagnostics;

namespace ModelC.Cli.Tests;

/// <summary>
/// Runs the built <c>modelc.dll</c> in a child process, as a user's shell would: for what only a
/// process shows (unhandled exceptions, the environment it finds, signals and exit codes).
/// </summary>
internal static class ModelcProcess
{
    /// <summary>The compiler the tests run, copied next to them by the project reference.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "modelc.dll");

    /// <summary>Runs <c>modelc args…</c> at the repository root with the given environment variables set (a null value removes one).</summary>
    public static CliResult Run(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Wait(Start(environment, args));

    /// <summary>
    /// Runs <c>modelc args…</c> where no libLLVM can be loaded: in a private mount namespace
    /// (<c>unshare -m</c>, as root) with every libLLVM the loader or <c>modelc</c> could find
    /// bind-mounted over by <c>/dev/null</c>, which <c>dlopen</c> refuses. The machine's files are
    /// untouched; the mounts vanish with the process.
    /// </summary>
    public static CliResult RunWithoutLlvm(params string[] args)
    {
        var hidden = LlvmLibraries().ToArray();
        Assert.NotEmpty(hidden);
        const string Script = "for f in \"$@\"; do case \"$f\" in --) shift; break;; esac; mount --bind /dev/null \"$f\" || exit 99; shift; done; exec \"$@\"";
        var start = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        foreach (var argument in (string[])["--mount", "--propagation", "private", "sh", "-c", Script, "sh", .. hidden, "--", DotnetHost, Dll, .. args])
        {
            start.ArgumentList.Add(argument);
        }
        var result = Wait(Process.Start(start)!);
        Assert.True(result.ExitCode != 99, $"could not hide libLLVM in a private mount namespace:\n{result}");
        return result;
    }

    /// <summary>Starts <c>modelc args…</c> at the repository root with redirected output; the caller waits with <see cref="Wait"/>.</summary>
    public static Process Start(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Launch(DotnetHost, [Dll, .. args], environment);

    /// <summary>
    /// Starts <c>modelc args…</c> as <see cref="Start"/> does, with every signal at its default
    /// disposition (<c>env --default-signal</c> execs it, so the process is modelc's): a
    /// non-interactive shell starts a background job with SIGINT and SIGQUIT ignored, children
    /// inherit that, and .NET keeps a signal ignored at start-up ignored (PosixSignalRegistration
    /// installs no handler), as nohup'd and background programs should. Tests that send a signal
    /// start modelc this way, or run in such a job it would never see a SIGINT.
    /// </summary>
    public static Process StartWithDefaultSignals(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Launch("env", ["--default-signal", DotnetHost, Dll, .. args], environment);

    private static Process Launch(string program, string[] arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return Process.Start(start)!;
    }

    /// <summary>Waits for the process and collects what it wrote.</summary>
    public static CliResult Wait(Process process) => Wait(process, Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Waits for a started modelc to exit, at most <paramref name="timeout"/>: past it the process is
    /// killed and the test fails with its output so far, instead of hanging the test run.
    /// </summary>
    public static CliResult Wait(Process process, TimeSpan timeout)
    {
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                Assert.Fail($"modelc did not exit within {timeout.TotalMinutes} min; its standard error:\n{error.Result}");
            }
            process.WaitForExit();
            return new CliResult(process.ExitCode, output.Result, error.Result);
        }
    }

    // The dotnet executable running the tests, so that a changed PATH cannot lose it.
    private static string DotnetHost => Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    // Every libLLVM shared object in the loader's directories and the llvm-N trees (symbolic links
    // resolve to their files, which the bind mount covers).
    private static IEnumerable<string> LlvmLibraries()
    {
        string[] roots = ["/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu"];
        var trees = Directory.Exists("/usr/lib") ? Directory.EnumerateDirectories("/usr/lib", "llvm-*").Select(d => Path.Combine(d, "lib")) : [];
        return roots.Concat(trees)
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "libLLVM*.so*"))
            .Select(f => new FileInfo(f).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(f))
            .Distinct(StringComparer.Ordinal);
    }
}
