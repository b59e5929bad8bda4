using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using ModelC.Runtime.Execution;

namespace ModelC.Backend.Artifacts;

/// <summary>
/// A new version of an output folder, written aside and published as a unit (the layout
/// <see cref="ModelArtifact"/> reads): the build writes into <see cref="Path"/>
/// (<c>DIR/.builds/VERSION.tmp</c>), which starts with the current version's files so that models
/// of other sources built into the folder stay; <see cref="Publish"/> renames it to
/// <c>DIR/.builds/VERSION</c>, replaces the link <c>DIR/.build</c> by one to it in a single
/// rename, and links each file at the top of the folder through <c>.build</c>. A reader that
/// pinned the old version keeps reading it: the two previous versions are kept, older ones deleted.
/// A version never published (a failed build) is deleted by <see cref="Dispose"/>, and the folder
/// stays as it was.
/// </summary>
public sealed partial class StagedOutputFolder : IDisposable
{
    // Versions kept besides the current one, for readers that pinned them just before a publish.
    private const int KeptVersions = 2;
    private const string StagingSuffix = ".tmp";

    private readonly string _directory;
    private readonly string _version;
    private bool _published;

    private StagedOutputFolder(string directory, string version)
    {
        _directory = directory;
        _version = version;
    }

    /// <summary>The folder the build writes into.</summary>
    public string Path => System.IO.Path.Combine(Versions(_directory), _version + StagingSuffix);

    /// <summary>Starts a new version of <paramref name="directory"/> (created if missing), holding the current version's files.</summary>
    /// <exception cref="IOException">The folder cannot be written.</exception>
    public static StagedOutputFolder Begin(string directory)
    {
        directory = System.IO.Path.GetFullPath(directory);
        // Sortable by time; the process id keeps concurrent builds apart and tells a live staging folder from a dead one's.
        var version = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss.fffffff}-{Environment.ProcessId}");
        var staged = new StagedOutputFolder(directory, version);
        Directory.CreateDirectory(staged.Path);
        var current = ModelArtifact.Pin(directory);
        // A folder written before versions existed: its models move into the first version.
        var carried = current == directory
            ? ModelArtifact.ModelsIn(directory).SelectMany(m => new[] { ModelArtifact.LibraryPath(directory, m), ModelArtifact.ManifestPath(directory, m) })
            : Directory.EnumerateFiles(current);
        foreach (var file in carried.Where(File.Exists))
        {
            File.Copy(file, System.IO.Path.Combine(staged.Path, System.IO.Path.GetFileName(file)));
        }
        return staged;
    }

    /// <summary>Makes the written version the folder's current one, in one rename.</summary>
    /// <exception cref="IOException">The folder cannot be written.</exception>
    public void Publish()
    {
        ObjectDisposedException.ThrowIf(_published, this);
        var versions = Versions(_directory);
        Directory.Move(Path, System.IO.Path.Combine(versions, _version));
        _published = true;
        Replace(System.IO.Path.Combine(_directory, ModelArtifact.CurrentVersionLink), System.IO.Path.Combine(ModelArtifact.VersionsFolder, _version));
        foreach (var file in Directory.EnumerateFiles(System.IO.Path.Combine(versions, _version)))
        {
            var name = System.IO.Path.GetFileName(file);
            var top = System.IO.Path.Combine(_directory, name);
            var through = System.IO.Path.Combine(ModelArtifact.CurrentVersionLink, name);
            if (new FileInfo(top).LinkTarget != through)
            {
                Replace(top, through);
            }
        }
        Prune(versions);
    }

    /// <summary>Deletes the version unless it was published.</summary>
    public void Dispose()
    {
        if (!_published)
        {
            _published = true;
            Directory.Delete(Path, recursive: true);
        }
    }

    private static string Versions(string directory) => System.IO.Path.Combine(directory, ModelArtifact.VersionsFolder);

    // A link made beside `path` and renamed over it: rename(2) replaces atomically, a link or a file
    // alike (File.Move refuses a link to a folder, which it takes for the folder).
    private static void Replace(string path, string target)
    {
        var temp = $"{path}.{Environment.ProcessId}{StagingSuffix}";
        File.Delete(temp);
        File.CreateSymbolicLink(temp, target);
        if (Rename(temp, path) != 0)
        {
            var error = Marshal.GetLastPInvokeErrorMessage();
            File.Delete(temp);
            throw new IOException($"cannot replace '{path}': {error}");
        }
    }

    [LibraryImport("libc", EntryPoint = "rename", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Rename(string from, string to);

    // Deletes published versions but the current one and the newest others, and the staging folders of builds that died.
    private void Prune(string versions)
    {
        var current = System.IO.Path.GetFileName(ModelArtifact.Pin(_directory));
        var folders = Directory.EnumerateDirectories(versions).Select(System.IO.Path.GetFileName).OfType<string>().ToList();
        var stale = folders.Where(f => !f.EndsWith(StagingSuffix, StringComparison.Ordinal) && f != current)
            .OrderDescending(StringComparer.Ordinal).Skip(KeptVersions)
            .Concat(folders.Where(f => f.EndsWith(StagingSuffix, StringComparison.Ordinal) && !IsAlive(OwnerOf(f))));
        foreach (var folder in stale)
        {
            try
            {
                Directory.Delete(System.IO.Path.Combine(versions, folder), recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // Another build pruned it first.
            }
        }
    }

    private static int OwnerOf(string staging) =>
        int.TryParse(staging[(staging.LastIndexOf('-') + 1)..^StagingSuffix.Length], CultureInfo.InvariantCulture, out var pid) ? pid : 0;

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
