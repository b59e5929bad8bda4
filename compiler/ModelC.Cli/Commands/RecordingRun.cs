using System.CommandLine;
using System.Text;
using ModelC.Backend.Driver;
using ModelC.Cli.Building;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Semantics.Symbols;

namespace ModelC.Cli.Commands;

/// <summary>
/// One compile of <c>modelc run</c> or <c>modelc train</c> that the <see cref="ProgramCache"/>
/// keeps: the front end runs with what it prints recorded, the command's report adds the programs
/// it compiled (<see cref="Add"/>), and a run that ended well is stored with them. Made and
/// returned by <see cref="Compile"/>, so one run's state travels in one object, not in the
/// command's closures.
/// </summary>
internal sealed class RecordingRun
{
    private readonly StringBuilder _warnings = new();
    private readonly List<CachedProgram> _programs = [];
    private IEnumerable<SourceModule> _sources = [];

    private RecordingRun()
    {
    }

    /// <summary>The command's exit code.</summary>
    public int ExitCode { get; private set; }

    /// <summary>
    /// The programs of the command under <paramref name="key"/> when the cache has them, handed to
    /// <paramref name="load"/> after the warnings their compile printed are printed again; else the
    /// command compiled with <paramref name="report"/> (<see cref="Compile"/>) and stored.
    /// </summary>
    public static int CompileOrLoad(ProgramCache cache, BuildKey key, ParseResult parse, CompilerSession.Options options, TextWriter error,
        Func<ParseResult, CompilerSession, ElaboratedModel, RecordingRun, int> report, Func<IReadOnlyList<CachedProgram>, int> load)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(load);
        if (cache.TryLoad(key) is { } hit)
        {
            error.Write(hit.Warnings);
            return load(hit.Programs);
        }
        var run = Compile(parse, options, error, report);
        if (run.ExitCode == ExitCodes.Ok && run._programs.Count > 0)
        {
            cache.Store(key, run._sources, run._warnings.ToString(), run._programs);
        }
        return run.ExitCode;
    }

    // The command's front end with what it prints recorded, and its report on each model with the recording.
    private static RecordingRun Compile(ParseResult parse, CompilerSession.Options options, TextWriter error, Func<ParseResult, CompilerSession, ElaboratedModel, RecordingRun, int> report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var run = new RecordingRun();
        run.ExitCode = ModelCommand.Elaborate(parse, options, new RecordingWriter(error, run._warnings), (p, session, model) =>
        {
            run._sources = session.Compilation.Modules;
            return report(p, session, model, run);
        });
        return run;
    }

    /// <summary>Keeps <paramref name="program"/>, compiled as a linked library, among the run's programs.</summary>
    public void Add(CachedProgram program) => _programs.Add(program);
}
