namespace ModelC.Tests;

/// <summary>
/// Finds files of the repository from a test's output folder, whatever the working directory.
/// Shared by the test projects (linked into each).
/// </summary>
internal static class RepositoryPaths
{
    /// <summary>The repository root (the folder holding ModelC.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path under the repository root.</summary>
    public static string Get(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelC.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("ModelC.sln not found above " + AppContext.BaseDirectory);
    }
}
