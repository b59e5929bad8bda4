using System.Diagnostics;
using System.Globalization;

namespace ModelC.Training;

/// <summary>
/// Marks an output folder as used by one training session: a lock file holding the owner's
/// process id, so that two runs never interleave their checkpoints and metrics. A lock whose
/// process is gone (a run that was killed) is stale and taken over.
/// </summary>
public sealed class OutputLock : IDisposable
{
    /// <summary>The lock file's name in the output folder.</summary>
    public const string FileName = "modelc-train.lock";

    private readonly string _path;
    private readonly string _owner = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    private bool _released;

    private OutputLock(string path) => _path = path;

    /// <summary>Takes the lock of <paramref name="folder"/>, making the folder if needed.</summary>
    /// <exception cref="InvalidOperationException">A live process holds it (the message gives its id and the lock file).</exception>
    public static OutputLock Acquire(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        Directory.CreateDirectory(folder);
        var lockFile = new OutputLock(Path.Combine(folder, FileName));
        // Twice at most: a stale lock is deleted once, and whoever creates the file next wins.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using var stream = new FileStream(lockFile._path, FileMode.CreateNew, FileAccess.Write);
                stream.Write(System.Text.Encoding.ASCII.GetBytes(lockFile._owner + "\n"));
                return lockFile;
            }
            catch (IOException) when (File.Exists(lockFile._path))
            {
                if (Owner(lockFile._path) is { } pid && IsRunning(pid))
                {
                    throw new InvalidOperationException(
                        $"output folder {folder} is in use by another training run (process {pid}); its lock file is {lockFile._path}");
                }
                File.Delete(lockFile._path);
            }
        }
        throw new InvalidOperationException($"output folder {folder} is being locked by another training run at the same moment; try again");
    }

    /// <summary>Deletes the lock file, if it is still this process's.</summary>
    public void Dispose()
    {
        if (_released)
        {
            return;
        }
        _released = true;
        if (Owner(_path)?.ToString(CultureInfo.InvariantCulture) == _owner)
        {
            File.Delete(_path);
        }
    }

    /// <summary>The process id in the lock file; null when it is gone or holds no number (a crash while writing it).</summary>
    private static int? Owner(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
