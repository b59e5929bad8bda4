using System.Runtime.CompilerServices;
using ModelC.Compiler.IR;
using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>
/// The state of one model's elaboration: the graph being built, the scope tree, the chain of
/// block instantiations (for recursion limits and diagnostic notes) and the diagnostics.
/// The expression evaluator, invoker and statement runner share it.
/// </summary>
internal sealed class ElaborationContext
{
    private const int MaxNotes = 8;
    private readonly HashSet<(string, Location, string)> _reported = [];
    private readonly List<(string Name, Location Site)> _instantiations = [];
    private readonly Stack<SharedApplication> _sharing = new();
    private Node? _dropoutStep;

    // An application of a shared module in progress: its parameters and the scope it opened.
    private sealed record SharedApplication(SharedModule Module, string ScopePath, Location Site);

    public ElaborationContext(CompilationOptions options, string graphName, ExecutionMode mode)
    {
        Options = options;
        Mode = mode;
        Graph = new GraphBuilder(graphName);
        Expressions = new ExpressionEvaluator(this);
        Invoker = new Invoker(this);
        Statements = new StatementRunner(this);
    }

    public CompilationOptions Options { get; }

    public ConstantCache Constants { get; } = new();

    public ExecutionMode Mode { get; }

    public GraphBuilder Graph { get; }

    public ScopeRecorder Scopes { get; } = new();

    public DiagnosticBag Diagnostics { get; } = new();

    public ExpressionEvaluator Expressions { get; }

    public Invoker Invoker { get; }

    public StatementRunner Statements { get; }

    /// <summary>
    /// A trainable parameter under <paramref name="fullName"/> (recorded in the current scope); inside
    /// an application of a shared module, the one the module's first application created.
    /// </summary>
    public Node Parameter(string fullName, TensorType type, ParameterInit init)
    {
        if (!_sharing.TryPeek(out var sharing) || !fullName.StartsWith(sharing.ScopePath + ".", StringComparison.Ordinal))
        {
            Scopes.RecordParameter(fullName);
            return Graph.Parameter(fullName, type, init);
        }
        var relative = fullName[(sharing.ScopePath.Length + 1)..];
        var parameters = sharing.Module.Parameters;
        if (parameters.Find(relative) is { } existing)
        {
            if (existing.Type == type)
            {
                return existing;
            }
            // Reported, and a stand-in of the needed type lets the layer finish without more errors.
            Report(ShapeDiagnostics.LayerShape(sharing.Site,
                $"{sharing.Module.Display} made its parameter '{relative}' {existing.Type}, but this application needs {type}",
                "every application of a shared module must fit the same weights"));
            return Graph.Constant(0, type);
        }
        var canonical = parameters.Path + "." + relative;
        Scopes.RecordParameter(canonical);
        var created = Graph.Parameter(canonical, type, init);
        parameters.Add(relative, created);
        return created;
    }

    /// <summary>A persistent state tensor under <paramref name="fullName"/>; a shared module cannot have one.</summary>
    public Node State(string fullName, TensorType type, ParameterInit init)
    {
        if (_sharing.TryPeek(out var sharing))
        {
            Report(ShapeDiagnostics.LayerShape(sharing.Site,
                $"{sharing.Module.Display} cannot share a layer with running statistics (batch_norm, or norm on images)"));
        }
        Scopes.RecordParameter(fullName);
        return Graph.State(fullName, type, init);
    }

    /// <summary>
    /// The train-step count that dropout masks are drawn for: one scalar state of the whole graph
    /// (<see cref="DropoutStepState"/>, 0 at the start), advanced by one in each train step. It is
    /// named as an optimizer state, so it travels in checkpoints (a resumed run draws the masks the
    /// uninterrupted one would) but not in the trained weights, which inference programs load.
    /// </summary>
    public Node DropoutStep()
    {
        if (_dropoutStep is null)
        {
            _dropoutStep = Graph.State(DropoutStepState, TensorType.ScalarF32, new ConstantInit(0));
            Graph.StateUpdate(DropoutStepState, Graph.Binary(IR.Ops.BinaryKind.Add, _dropoutStep, 1.0));
        }
        return _dropoutStep;
    }

    /// <summary>The name of the state <see cref="DropoutStep"/> counts in.</summary>
    public const string DropoutStepState = "optimizer.dropout_step";

    /// <summary>Runs <paramref name="apply"/> as an application of a shared module whose scope is the innermost one.</summary>
    public Value InSharedApplication(SharedModule module, Location site, Func<Value> apply)
    {
        _sharing.Push(new SharedApplication(module, Scopes.CurrentPath, site));
        try
        {
            return apply();
        }
        finally
        {
            _sharing.Pop();
        }
    }

    /// <summary>
    /// Reports a diagnostic, noting the instantiation chain it happened in. A diagnostic already
    /// reported at the same place with the same text (a block used twice) is dropped.
    /// </summary>
    public ErrorValue Report(Diagnostic diagnostic)
    {
        if (_reported.Add((diagnostic.Code, diagnostic.Location, diagnostic.Message)))
        {
            Diagnostics.Add(WithInstantiationChain(diagnostic));
        }
        return ErrorValue.Instance;
    }

    // Notes the chain of uses, innermost first. A problem inside the standard library is the
    // user's use of it: the diagnostic moves to the innermost use in the user's files, and the
    // library's places become notes, shown relative to the library (not this machine's path).
    private Diagnostic WithInstantiationChain(Diagnostic diagnostic)
    {
        var first = _instantiations.Count - 1;
        if (InStandardLibrary(diagnostic.Location)
            && _instantiations.FindLastIndex(i => !InStandardLibrary(i.Site)) is var user and >= 0)
        {
            var inLibrary = new List<DiagnosticNote> { new($"in the standard library at {LibraryPlace(diagnostic.Location)}", null) };
            for (var i = first; i > user; i--)
            {
                inLibrary.Add(new DiagnosticNote($"in '{_instantiations[i].Name}' used at {LibraryPlace(_instantiations[i].Site)}", null));
            }
            diagnostic = diagnostic with { Location = _instantiations[user].Site, Notes = [.. inLibrary] };
            first = user - 1;
        }
        for (var i = first; i >= 0 && first - i < MaxNotes; i--)
        {
            var (name, site) = _instantiations[i];
            diagnostic = diagnostic.WithNote(new DiagnosticNote($"in '{name}' used here", site));
        }
        return diagnostic;
    }

    private bool InStandardLibrary(Location location) =>
        Path.GetFullPath(location.Source.Path).StartsWith(StandardLibraryFolder, StringComparison.Ordinal);

    private string StandardLibraryFolder =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(Options.StandardLibrary)) + Path.DirectorySeparatorChar;

    private string LibraryPlace(Location location) =>
        $"stdlib/{Path.GetRelativePath(StandardLibraryFolder, Path.GetFullPath(location.Source.Path)).Replace('\\', '/')}:{location.Start}";

    /// <summary>The most module applications one model may make, a bound on runaway repetition.</summary>
    public const int MaxApplications = 250_000;

    private int _applications;
    private bool _reportedTooLarge;

    /// <summary>Counts one module application; throws <see cref="GraphLimitException"/> past the limit.</summary>
    public void CountApplication()
    {
        if (++_applications > MaxApplications)
        {
            throw new GraphLimitException($"it applies more than {MaxApplications:N0} layers and blocks");
        }
    }

    /// <summary>What an exception says about a model that outgrew a limit, or null if it is not about that.</summary>
    public static string? TooLargeDetail(Exception exception) => exception switch
    {
        GraphLimitException limit => limit.Message,
        OverflowException => "a computed size is out of range (a dimension is at most 2,147,483,647)",
        _ => null,
    };

    /// <summary>Reports that the model outgrew a limit; only the first report of a model is kept.</summary>
    public ErrorValue ReportTooLarge(Location site, string detail)
    {
        if (!_reportedTooLarge)
        {
            _reportedTooLarge = true;
            Report(ModelDiagnostics.TooLarge(site, detail));
        }
        return ErrorValue.Instance;
    }

    /// <summary>Enters a block instantiation; false (after reporting) when the recursion limit is hit.</summary>
    public bool Enter(string name, Location site)
    {
        // The limit is the user's; the stack check keeps an extreme --max-depth from overflowing it.
        if (_instantiations.Count >= Options.MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            Report(ValueDiagnostics.RecursionLimit(site, name, Options.MaxDepth));
            return false;
        }
        _instantiations.Add((name, site));
        return true;
    }

    /// <summary>The block being instantiated innermost, if any.</summary>
    public string? CurrentBlock => _instantiations.Count == 0 ? null : _instantiations[^1].Name;

    /// <summary>Leaves the innermost instantiation.</summary>
    public void Leave() => _instantiations.RemoveAt(_instantiations.Count - 1);

    /// <summary>The location of a span in the file an environment belongs to.</summary>
    public static Location At(Environment env, TextSpan span) => env.Module.Tree.GetLocation(span);
}
