namespace ModelC.Tests;

/// <summary>A fresh directory for one test, deleted with everything in it afterwards. Shared by the test projects (linked into each).</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("modelc-tests-").FullName;
    }

    public string Path { get; }

    /// <summary>A path in the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
