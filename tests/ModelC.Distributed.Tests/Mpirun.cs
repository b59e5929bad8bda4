using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ModelC.Distributed.Tests;

/// <summary>What one <c>mpirun</c> did: its exit code, everything its ranks wrote, and how long it took.</summary>
internal sealed record MpirunResult(int ExitCode, string Output, string Error, TimeSpan Elapsed)
{
    /// <inheritdoc/>
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>
/// Launches programs of the test's output folder under Open MPI's <c>mpirun</c>, as CI does: as
/// root if need be, and oversubscribed (more ranks than the machine's 2 cores may be asked for).
/// </summary>
internal static class Mpirun
{
    /// <summary>The variable that makes a missing Open MPI a failure instead of a skipped test (CI sets it to 1).</summary>
    public const string RequireVariable = "MODELC_REQUIRE_MPI";

    private static readonly Lazy<string?> Missing = new(FindProblem);

    /// <summary>Why the tests cannot launch MPI jobs here, or null when they can.</summary>
    public static string? Problem => Missing.Value;

    /// <summary>Whether a missing Open MPI must fail the tests.</summary>
    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>A file of the test's output folder (modelc.dll, this assembly).</summary>
    public static string Program(string file) => Path.Combine(AppContext.BaseDirectory, file);

    /// <summary>Starts <c>dotnet <paramref name="arguments"/>…</c> on <paramref name="ranks"/> ranks, its output redirected.</summary>
    /// <exception cref="InvalidOperationException">Open MPI is missing (the message says what is).</exception>
    public static Process Start(int ranks, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (Problem is { } problem)
        {
            throw new InvalidOperationException($"{problem} ({RequireVariable}=1 requires it)");
        }
        var start = new ProcessStartInfo("mpirun") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--allow-run-as-root", "--oversubscribe", "dotnet" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        // mpirun gives its ranks a terminal, where .NET's console would write terminal controls.
        start.Environment["TERM"] = "dumb";
        // Each job its own session folder: mpiruns started at once (test classes run in parallel)
        // race to create the same /tmp/ompi.HOST.UID and one fails with "File exists".
        var session = Directory.CreateTempSubdirectory("modelc-mpirun-").FullName;
        start.Environment["OMPI_MCA_orte_tmpdir_base"] = session;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => DeleteSession(session);
        if (process.HasExited)
        {
            DeleteSession(session);
        }
        return process;
    }

    private static void DeleteSession(string session)
    {
        try
        {
            Directory.Delete(session, recursive: true);
        }
        catch (IOException)
        {
            // Already gone, or a rank still writing: a temporary folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Runs <c>dotnet <paramref name="arguments"/>…</c> on <paramref name="ranks"/> ranks to its end.</summary>
    public static MpirunResult Run(int ranks, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var clock = Stopwatch.StartNew();
        using var process = Start(ranks, arguments, environment);
        return Finish(process, clock, TimeSpan.FromMinutes(5));
    }

    /// <summary>Waits for <paramref name="process"/> (killed after <paramref name="limit"/>) and collects what it wrote.</summary>
    public static MpirunResult Finish(Process process, Stopwatch clock, TimeSpan limit)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        return new MpirunResult(process.ExitCode, output.Result, error.Result, clock.Elapsed);
    }

    private static string? FindProblem()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, "mpirun")));
        if (!onPath)
        {
            return "Open MPI's mpirun is not on the PATH";
        }
        if (!NativeLibrary.TryLoad("libmpi.so.40", out var handle))
        {
            return "Open MPI's libmpi.so.40 cannot be loaded";
        }
        NativeLibrary.Free(handle);
        return null;
    }
}

/// <summary>A test that launches MPI jobs: skipped where Open MPI is missing, unless <see cref="Mpirun.RequireVariable"/> is 1.</summary>
internal sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (Mpirun.Problem is { } problem && !Mpirun.Required)
        {
            Skip = $"skip: no Open MPI ({problem}); {Mpirun.RequireVariable}=1 makes this a failure";
        }
    }
}
