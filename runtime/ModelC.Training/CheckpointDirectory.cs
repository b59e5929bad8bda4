using System.Globalization;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Execution;

namespace ModelC.Training;

/// <summary>
/// The per-epoch checkpoints of a run, <c>epoch-0001.safetensors</c>…, in one folder. Each is
/// written atomically; the two newest are kept, so that a crash while writing one (which never
/// leaves a broken file) still leaves the previous epoch to resume from.
/// </summary>
/// <param name="folder">The folder; made when the first checkpoint is saved.</param>
public sealed class CheckpointDirectory(string folder)
{
    private const string Prefix = "epoch-", Suffix = ".safetensors";
    private const int Kept = 2;

    /// <summary>The folder.</summary>
    public string Folder { get; } = folder ?? throw new ArgumentNullException(nameof(folder));

    /// <summary>The newest checkpoint's path, or null when there is none.</summary>
    public string? Latest() => Epochs().Select(e => e.Path).LastOrDefault();

    /// <summary>Saves <paramref name="model"/>, optimizer state included, as the checkpoint of <paramref name="epoch"/>; drops older ones.</summary>
    /// <returns>The checkpoint's path.</returns>
    public string Save(ModelInstance model, int epoch, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{epoch:D4}{Suffix}"));
        ModelCheckpoint.Save(model, path, metadata);
        foreach (var (_, old) in Epochs().SkipLast(Kept))
        {
            File.Delete(old);
        }
        return path;
    }

    private IEnumerable<(int Epoch, string Path)> Epochs()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }
        return Directory.EnumerateFiles(Folder, Prefix + "*" + Suffix)
            .Select(p => (Name: Path.GetFileName(p), Path: p))
            .Select(f => (Ok: int.TryParse(f.Name[Prefix.Length..^Suffix.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var e), Epoch: e, f.Path))
            .Where(f => f.Ok)
            .OrderBy(f => f.Epoch)
            .Select(f => (f.Epoch, f.Path));
    }
}
