using System.Text.Json;
using ModelC.Search.Programs;
using ModelC.Search.Reports;

namespace ModelC.Search.Strategies;

/// <summary>
/// A search's output folder: <c>search.json</c> (what the search is, for <c>--resume</c>),
/// <c>candidates.jsonl</c> (a line per evaluated candidate, appended as each finishes),
/// <c>candidates/HASH.mdl</c>, and the reports rewritten after every round: <c>leaderboard.json</c>,
/// <c>leaderboard.txt</c>, <c>best.mdl</c> and <c>progress.svg</c>; <c>search.lock</c>, locked
/// while a search writes the folder, so that two searches never write one folder.
/// </summary>
internal sealed class SearchFolder(string path)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private string Records => Path.Combine(path, "candidates.jsonl");

    private string Description => Path.Combine(path, "search.json");

    private string Sources => Path.Combine(path, "candidates");

    private string LockFile => Path.Combine(path, "search.lock");

    /// <summary>
    /// Locks the folder for one search until the result is disposed: an exclusive lock on
    /// <c>search.lock</c> (an OS file lock, so a killed search releases it). The file stays; only the lock matters.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another search, in this process or another, holds the folder.</exception>
    public IDisposable Lock()
    {
        Directory.CreateDirectory(path);
        try
        {
            return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
        }
        catch (IOException e) when (File.Exists(LockFile))
        {
            throw new InvalidOperationException($"{path} is in use by another search (it holds {LockFile} locked): wait for it to finish, or choose another output folder", e);
        }
    }

    /// <summary>Prepares the folder for the search <paramref name="description"/> says; the records of a resumed one.</summary>
    public IReadOnlyList<SearchRecord> Open(string description, bool resume)
    {
        Directory.CreateDirectory(Sources);
        var recorded = File.Exists(Records) ? ReadRecords() : [];
        if (!resume && recorded.Count > 0)
        {
            throw new InvalidOperationException($"{path} holds a search of {recorded.Count} candidates: continue it with --resume, or choose another output folder");
        }
        if (resume && File.Exists(Description) && JsonSerializer.Deserialize<SearchDescription>(File.ReadAllText(Description), Json)?.Search is { } old && old != description)
        {
            throw new InvalidOperationException($"--resume: {path} holds another search ({old}); this one is {description}");
        }
        File.WriteAllText(Description, JsonSerializer.Serialize(new SearchDescription(description), Json));
        return recorded;
    }

    /// <summary>Records an evaluated candidate and keeps its source.</summary>
    public void Append(SearchRecord record, CandidateProgram program)
    {
        var source = Path.Combine(Sources, $"{record.Hash}.mdl");
        if (!File.Exists(source))
        {
            File.WriteAllText(source, program.Source);
        }
        File.AppendAllText(Records, JsonSerializer.Serialize(record, Json) + "\n");
    }

    /// <summary>Where candidate <paramref name="index"/> trains (its checkpoints are not kept).</summary>
    public string WorkFolder(int index) => Path.Combine(path, "work", index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Rewrites the leaderboard, the best architecture and the plot; removes the training folders.</summary>
    public void WriteReports(IReadOnlyList<SearchRecord> records, SearchSettings settings)
    {
        if (Directory.Exists(Path.Combine(path, "work")))
        {
            Directory.Delete(Path.Combine(path, "work"), recursive: true);
        }
        var board = Leaderboard.Of(records);
        WriteAtomically("leaderboard.json", JsonSerializer.Serialize(board, new JsonSerializerOptions(Json) { WriteIndented = true }));
        WriteAtomically("leaderboard.txt", Leaderboard.Table(board, 20));
        WriteAtomically("best.mdl", File.ReadAllText(Path.Combine(Sources, $"{board[0].Hash}.mdl")));
        WriteAtomically("progress.svg", SearchPlot.Svg($"{settings.Strategy} search, seed {settings.Seed}", [(settings.Strategy.ToString(), records)]));
    }

    /// <summary>The records of <c>candidates.jsonl</c>. A killed search may leave a half-written last line: it is dropped (and that candidate evaluated again on resume).</summary>
    /// <exception cref="InvalidOperationException">A line is not a record, or out of order.</exception>
    /// <exception cref="IOException">No records in the folder.</exception>
    public List<SearchRecord> ReadRecords()
    {
        var lines = File.ReadAllLines(Records);
        var records = new List<SearchRecord>();
        for (var i = 0; i < lines.Length; i++)
        {
            try
            {
                records.Add(JsonSerializer.Deserialize<SearchRecord>(lines[i], Json) ?? throw new JsonException("null"));
            }
            catch (JsonException) when (i == lines.Length - 1)
            {
                break;
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"{Records}:{i + 1}: not a candidate record: {e.Message}", e);
            }
            if (records[^1].Index != i)
            {
                throw new InvalidOperationException($"{Records}:{i + 1}: candidate {records[^1].Index} where {i} was expected");
            }
        }
        return records;
    }

    private void WriteAtomically(string name, string text)
    {
        var target = Path.Combine(path, name);
        File.WriteAllText(target + ".tmp", text);
        File.Move(target + ".tmp", target, overwrite: true);
    }

    private sealed record SearchDescription(string Search);
}
