namespace ModelC.Runtime.Packaging;

/// <summary>
/// ModelC's per-user cache folder: <c>$MODELC_CACHE</c>, else <c>$XDG_CACHE_HOME/modelc</c>, else
/// <c>~/.cache/modelc</c>. It holds the extracted kernel libraries of .NET bindings
/// (<see cref="KernelCache"/>, <c>kernels/</c>) and the compiler's object cache (<c>objects/</c>).
/// Read once per process.
/// </summary>
public static class CacheFolder
{
    /// <summary>The environment variable that moves the cache folder.</summary>
    public const string EnvironmentVariable = "MODELC_CACHE";

    private static readonly Lazy<string> DefaultRoot = new(() =>
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : home.Length > 0 ? Path.Combine(home, ".cache")
            : Path.GetTempPath();
        return Path.Combine(cache, "modelc");
    });

    /// <summary>The folder.</summary>
    public static string Root => DefaultRoot.Value;
}
