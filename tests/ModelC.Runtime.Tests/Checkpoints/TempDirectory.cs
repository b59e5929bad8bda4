namespace ModelC.Runtime.Tests.Checkpoints;

/// <summary>A fresh directory for one test, deleted with everything in it afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("modelc-checkpoints-").FullName;
    }

    public string Path { get; }

    /// <summary>A path in the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
