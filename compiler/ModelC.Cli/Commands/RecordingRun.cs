using System.CommandLine;
using System.Text;
using ModelC.Backend.Artifacts;
using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Cli.Building;
using ModelC.Compiler.Semantics.Elaboration;

namespace ModelC.Cli.Commands;

/// <summary>
/// One compile of <c>modelc run</c> or <c>modelc train</c> that the <see cref="ProgramCache"/>
/// keeps: the front end runs with what it prints recorded, the command's report adds the programs
/// of each model it compiled (<see cref="Add"/>), and once every model is compiled they are stored,
/// before they run: a compiled program is valid whatever its run or training then does. Made by
/// <see cref="TryCompileOrLoad"/>, so one run's state travels in one object, not in the command's closures.
/// </summary>
internal sealed class RecordingRun
{
    private readonly ProgramCache _cache;
    private readonly BuildKey _key;
    private readonly StringBuilder _warnings = new();
    private readonly List<CachedProgram> _programs = [];
    private CompilerSession? _session;
    private int _modelsSelected;
    private int _modelsCompiled;

    private RecordingRun(ProgramCache cache, BuildKey key)
    {
        _cache = cache;
        _key = key;
    }

    /// <summary>
    /// Runs <paramref name="command"/> through the program cache; null when it cannot keep its
    /// programs: the cache is off, <paramref name="device"/> asks for a GPU, or no C compiler
    /// driver links them. When the cache has the programs of this command line (source, compile
    /// options, compiler, environment, this CPU), the warnings their compile printed are printed
    /// again and the programs go to <paramref name="load"/>; else the command compiles with
    /// <paramref name="report"/>, whose programs are stored once every model is compiled.
    /// </summary>
    /// <returns>The command's exit code, or null when the cache does not apply.</returns>
    public static int? TryCompileOrLoad(string command, ParseResult parse, CompilerSession.Options options, string? device, TextWriter error,
        Func<ParseResult, CompilerSession, ElaboratedModel, RecordingRun, int> report, Func<IReadOnlyList<CachedProgram>, int> load)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(load);
        if (ProgramCache.Default is not { } cache || DeviceOption.WantsGpu(device) || SharedLibraryLinker.FindDriver() is null)
        {
            return null;
        }
        // The cached programs run on this CPU, the target a CPU --device opens.
        var key = ProgramCache.KeyOf(ProgramCache.CompileArguments(command, parse, options), CpuTarget.Host);
        if (cache.TryLoad(key) is { } hit)
        {
            error.Write(hit.Warnings);
            return load(hit.Programs);
        }
        var run = new RecordingRun(cache, key);
        return ModelCommand.Elaborate(parse, options, new RecordingWriter(error, run._warnings), (p, session, model) =>
        {
            if (run._session is null)
            {
                // The command reports each selected model in turn, so the selection is known by the first.
                run._session = session;
                run._modelsSelected = session.SelectModels()?.Length ?? 0;
            }
            return report(p, session, model, run);
        });
    }

    /// <summary>
    /// Keeps <paramref name="programs"/>, one model's programs compiled as linked libraries, among
    /// the run's; with the last model's, stores them all with the warnings printed so far.
    /// </summary>
    public void Add(IEnumerable<CachedProgram> programs)
    {
        _programs.AddRange(programs);
        // A model that failed to compile adds nothing, so the count never reaches the models', and nothing is stored.
        if (++_modelsCompiled == _modelsSelected && !_session!.HadErrors)
        {
            _cache.Store(_key, _session.Compilation.Modules, _warnings.ToString(), _programs);
        }
    }
}
