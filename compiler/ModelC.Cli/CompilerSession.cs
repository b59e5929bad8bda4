using System.Collections.Immutable;
using System.CommandLine;
using System.Diagnostics;
using ModelC.Backend.Driver;
using ModelC.Compiler.Semantics;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Semantics.Symbols;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Text;

namespace ModelC.Cli;

/// <summary>
/// What the commands have in common: reading the options, compiling the file, printing
/// diagnostics to stderr, picking models and elaborating them.
/// </summary>
internal sealed class CompilerSession
{
    private readonly TextWriter _error;
    private readonly IReadOnlyDictionary<string, Value> _arguments;
    private readonly string? _modelName;
    private readonly string _mode;
    private readonly Func<Diagnostic, string> _format;
    private readonly int _maxErrors;
    private int _errorsPrinted;

    private CompilerSession(Compilation compilation, TextWriter error, IReadOnlyDictionary<string, Value> arguments, string? modelName, string mode, Func<Diagnostic, string> format, int maxErrors)
    {
        _format = format;
        _maxErrors = maxErrors;
        Compilation = compilation;
        _error = error;
        _arguments = arguments;
        _modelName = modelName;
        _mode = mode;
    }

    public Compilation Compilation { get; }

    /// <summary>Where the session's compile time goes: parsing and elaboration here, the rest when a command passes it to the backend (<c>--timings</c>).</summary>
    public CompileTimings Timings { get; } = new();

    /// <summary>Whether any error was printed.</summary>
    public bool HadErrors { get; private set; }

    /// <summary>
    /// Compiles the file named on the command line; null (after printing why) when the command
    /// line is unusable, with <paramref name="exitCode"/> set.
    /// </summary>
    public static CompilerSession? Open(ParseResult parse, Options options, TextWriter error, out int exitCode)
    {
        exitCode = ExitCodes.Ok;
        var file = parse.GetValue(options.File)!;
        if (!file.Exists)
        {
            error.WriteLine($"modelc: error: file not found: {file}");
            exitCode = ExitCodes.Usage;
            return null;
        }
        if (!ModelArguments.TryParse(parse.GetValue(options.Define) ?? [], out var arguments, out var problem))
        {
            error.WriteLine($"modelc: error: {problem}");
            exitCode = ExitCodes.Usage;
            return null;
        }
        var maxDepth = parse.GetValue(options.MaxDepth);
        if (maxDepth is < 1 or > CompilationOptions.LargestMaxDepth)
        {
            error.WriteLine($"modelc: error: --max-depth must be between 1 and {CompilationOptions.LargestMaxDepth}, got {maxDepth}");
            exitCode = ExitCodes.Usage;
            return null;
        }
        var maxErrors = parse.GetValue(options.MaxErrors);
        if (maxErrors < 1)
        {
            error.WriteLine($"modelc: error: --max-errors must be at least 1, got {maxErrors}");
            exitCode = ExitCodes.Usage;
            return null;
        }
        var compilerOptions = new CompilationOptions { MaxDepth = maxDepth };
        if (parse.GetValue(options.Stdlib) is { } stdlib)
        {
            compilerOptions = compilerOptions with { StandardLibrary = stdlib.FullName };
        }
        Compilation compilation;
        var loading = Stopwatch.GetTimestamp();
        try
        {
            compilation = Compilation.Load(file.ToString(), compilerOptions);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"modelc: error: cannot read {file}: {e.Message}");
            exitCode = ExitCodes.Usage;
            return null;
        }
        Func<Diagnostic, string> format = parse.GetValue(options.DiagnosticFormat) == "msbuild" ? DiagnosticFormatter.FormatMsBuild : DiagnosticFormatter.Format;
        var session = new CompilerSession(compilation, error, arguments, parse.GetValue(options.Model), parse.GetValue(options.Mode) ?? "auto", format, maxErrors);
        session.Timings.Add(CompilePhase.ParseAndBind, Stopwatch.GetElapsedTime(loading));
        session.Print(compilation.Diagnostics);
        return session;
    }

    /// <summary>The models the command applies to; null (after printing why) when --model names none.</summary>
    public ImmutableArray<ModelSymbol>? SelectModels()
    {
        if (_modelName is null)
        {
            return Compilation.Models;
        }
        if (Compilation.FindModel(_modelName) is { } model)
        {
            return [model];
        }
        var known = Compilation.Models.IsEmpty ? "the file declares no models" : "models: " + string.Join(", ", Compilation.Models.Select(m => m.Name));
        _error.WriteLine($"modelc: error: no model named '{_modelName}' ({known})");
        return null;
    }

    /// <summary>Elaborates a model in the mode the command line asks for, printing its diagnostics.</summary>
    public ElaboratedModel? Elaborate(ModelSymbol model)
    {
        var mode = _mode switch
        {
            "train" => ExecutionMode.Training,
            "infer" => ExecutionMode.Inference,
            "eval" => ExecutionMode.Evaluation,
            _ => model.HasLoss ? ExecutionMode.Training : ExecutionMode.Inference,
        };
        return Elaborate(model, mode);
    }

    /// <summary>Elaborates a model in the given mode, printing its diagnostics.</summary>
    public ElaboratedModel? Elaborate(ModelSymbol model, ExecutionMode mode)
    {
        var result = CompileTimings.Time(Timings, CompilePhase.Elaboration, () => Compilation.Elaborate(model, mode, _arguments));
        Print(result.Diagnostics);
        return result.Model;
    }

    private readonly HashSet<(string, Location, string)> _printed = [];

    // A block two models use reports the same problem for each; print it once. Past
    // --max-errors errors, the rest are only counted.
    private void Print(IEnumerable<Diagnostic> diagnostics)
    {
        var left = 0;
        foreach (var diagnostic in diagnostics.Where(d => _printed.Add((d.Code, d.Location, d.Message))))
        {
            HadErrors |= diagnostic.IsError;
            if (_errorsPrinted >= _maxErrors)
            {
                left += diagnostic.IsError ? 1 : 0;
                continue;
            }
            _errorsPrinted += diagnostic.IsError ? 1 : 0;
            _error.Write(_format(diagnostic));
        }
        if (left > 0)
        {
            _error.WriteLine($"modelc: stopped after {_maxErrors} errors; {left} more not shown (--max-errors sets the limit)");
        }
    }

    /// <summary>The options every compiling command declares.</summary>
    /// <param name="defaultMode">The mode when <c>--mode</c> is not given: auto, train or infer.</param>
    public sealed class Options(string defaultMode = "auto")
    {
        public Argument<FileInfo> File { get; } = CommonOptions.File();

        public Option<string?> Model { get; } = CommonOptions.Model();

        public Option<string[]> Define { get; } = CommonOptions.Define();

        public Option<int> MaxDepth { get; } = CommonOptions.MaxDepth();

        public Option<DirectoryInfo?> Stdlib { get; } = CommonOptions.Stdlib();

        public Option<string> Mode { get; } = CommonOptions.Mode(defaultMode);

        public Option<string> DiagnosticFormat { get; } = CommonOptions.DiagnosticFormat();

        public Option<int> MaxErrors { get; } = CommonOptions.MaxErrors();

        /// <summary>Adds them to a command.</summary>
        public void AddTo(Command command, bool withMode)
        {
            command.Arguments.Add(File);
            command.Options.Add(Model);
            command.Options.Add(Define);
            command.Options.Add(MaxDepth);
            command.Options.Add(Stdlib);
            DiagnosticFormat.AcceptOnlyFromAmong("text", "msbuild");
            command.Options.Add(DiagnosticFormat);
            command.Options.Add(MaxErrors);
            if (withMode)
            {
                Mode.AcceptOnlyFromAmong("auto", "train", "infer", "eval");
                command.Options.Add(Mode);
            }
        }
    }
}
