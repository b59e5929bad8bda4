using System.Diagnostics;
using ModelC.Backend.Targets;

namespace ModelC.Backend.Artifacts;

/// <summary>Links kernel objects into a shared library with the system's C compiler driver.</summary>
public static class SharedLibraryLinker
{
    /// <summary>The drivers tried, in order, after <c>$CC</c>.</summary>
    public static IReadOnlyList<string> Candidates { get; } = ["cc", "gcc", "clang"];

    /// <summary>The driver that will be used, or null when none is on PATH.</summary>
    public static string? FindDriver()
    {
        var configured = Environment.GetEnvironmentVariable("CC");
        var names = string.IsNullOrWhiteSpace(configured) ? Candidates : [configured, .. Candidates];
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in names)
        {
            if (Path.IsPathRooted(name) && File.Exists(name))
            {
                return name;
            }
            if (path.Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists) is { } found)
            {
                return found;
            }
        }
        return null;
    }

    /// <summary>The driver that will be used.</summary>
    /// <exception cref="InvalidOperationException">None is on PATH; the message says what to install.</exception>
    public static string RequireDriver() => FindDriver() ?? throw new InvalidOperationException(
        "no C compiler driver to link with: looked for $CC, cc, gcc and clang on PATH; install one (e.g. 'apt-get install gcc') or set CC");

    /// <summary>
    /// Links <paramref name="objects"/> and the object <paramref name="manifestStamp"/> (which
    /// defines the manifest's hash) into a shared library (with libm, which sin, cos and pow use);
    /// returns its bytes.
    /// </summary>
    /// <exception cref="InvalidOperationException">No driver is on PATH, or linking failed (its output is in the message).</exception>
    public static byte[] Link(IReadOnlyList<KernelObject> objects, byte[] manifestStamp)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(manifestStamp);
        var scratch = Directory.CreateTempSubdirectory("modelc-link-");
        try
        {
            var paths = new List<string>(objects.Count + 1);
            foreach (var (name, code) in objects.Select(o => (o.Key.Symbol, o.Code)).Append(("manifest", manifestStamp)))
            {
                var path = Path.Combine(scratch.FullName, name + ".o");
                File.WriteAllBytes(path, code);
                paths.Add(path);
            }
            var library = Path.Combine(scratch.FullName, "libkernels.so");
            Link(paths, library);
            return File.ReadAllBytes(library);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static void Link(IReadOnlyList<string> objectPaths, string libraryPath)
    {
        var driver = RequireDriver();
        var start = new ProcessStartInfo(driver)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-shared", "-o", libraryPath, .. objectPaths, "-lm"])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start '{driver}'");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{driver}' failed to link '{libraryPath}' (exit {process.ExitCode}): {error.Trim()}{output.Result.Trim()}");
        }
    }
}
