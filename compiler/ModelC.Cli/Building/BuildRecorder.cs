using System.Text;
using ModelC.Backend.Driver;
using ModelC.Compiler.Semantics.Symbols;

namespace ModelC.Cli.Building;

/// <summary>
/// Records one <c>modelc build</c> as it runs, for the <see cref="BuildCache"/>: what it prints
/// through <see cref="Output"/> and <see cref="Error"/> (and <see cref="WriteSummary"/>), the files it
/// says it wrote, and at the end the sources it read (<see cref="Complete"/>).
/// </summary>
internal sealed class BuildRecorder
{
    private readonly TextWriter _output;
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _error = new();
    private readonly List<OutputPiece> _pieces = [];
    private readonly List<string> _staged = [];
    private readonly List<string> _files = [];

    /// <summary>Records what is written to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public BuildRecorder(TextWriter output, TextWriter error)
    {
        _output = output;
        Output = new RecordingWriter(output, _text);
        Error = new RecordingWriter(error, _error);
    }

    /// <summary>Standard output, recorded.</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error, recorded.</summary>
    public TextWriter Error { get; }

    /// <summary>The record of the build, once <see cref="Complete"/> made it; null before.</summary>
    public BuildRecord? Completed { get; private set; }

    /// <summary>Forgets the previous invocation's record.</summary>
    public void Start()
    {
        _text.Clear();
        _error.Clear();
        _pieces.Clear();
        _staged.Clear();
        _files.Clear();
        Completed = null;
    }

    /// <summary>Prints a model's compile summary, <paramref name="prefix"/> then <paramref name="statistics"/>, on a line.</summary>
    public void WriteSummary(string prefix, CompileStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        _output.WriteLine(prefix + statistics);
        _pieces.Add(new OutputPiece(TakeText() + prefix, (statistics.Kernels, statistics.Unique)));
    }

    /// <summary>Notes files written into the output folder's new version.</summary>
    public void Staged(IEnumerable<string> paths) => _staged.AddRange(paths.Select(Path.GetFileName).OfType<string>());

    /// <summary>Notes files written elsewhere.</summary>
    public void Wrote(IEnumerable<string> paths) => _files.AddRange(paths.Select(Path.GetFullPath));

    /// <summary>
    /// Makes the record: the noted files' bytes, read now (the staged ones from <paramref name="stagedFolder"/>,
    /// before it is published), and the hash of each source's text as the compiler read it.
    /// </summary>
    public void Complete(string? stagedFolder, IEnumerable<SourceModule> sources)
    {
        var output = _pieces.Append(new OutputPiece(TakeText(), null)).ToList();
        var sourceHashes = sources.Select(m => new SourceHash(Path.GetFullPath(m.FullPath), SourceHash.Of(m.Tree.Source.Content)))
            .DistinctBy(s => s.Path).ToList();
        var staged = stagedFolder is null ? [] : _staged.Distinct().Select(n => new RecordedFile(n, File.ReadAllBytes(Path.Combine(stagedFolder, n)))).ToList();
        Completed = new BuildRecord(sourceHashes, output, _error.ToString(), staged, [.. _files.Distinct().Select(f => new RecordedFile(f, File.ReadAllBytes(f)))]);
    }

    private string TakeText()
    {
        var text = _text.ToString();
        _text.Clear();
        return text;
    }
}
