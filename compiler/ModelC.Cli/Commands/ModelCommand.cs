using System.CommandLine;
using ModelC.Compiler.IR;
using ModelC.Compiler.Semantics.Elaboration;

namespace ModelC.Cli.Commands;

/// <summary>
/// The shape of the commands that elaborate models and report on each: compile, select the
/// models, elaborate, hand every model to <paramref name="report"/>.
/// </summary>
internal static class ModelCommand
{
    public static Command Create(string name, string description, TextWriter error, IEnumerable<Option> extra,
        Func<ParseResult, ElaboratedModel, int> report, string defaultMode = "auto") =>
        Create(name, description, error, extra, (parse, _, model) => report(parse, model), defaultMode);

    /// <summary>
    /// As the other overload, for commands that elaborate a model again in another mode, and that
    /// may <paramref name="finish"/> once every model was reported without errors.
    /// </summary>
    public static Command Create(string name, string description, TextWriter error, IEnumerable<Option> extra,
        Func<ParseResult, CompilerSession, ElaboratedModel, int> report, string defaultMode = "auto",
        Func<ParseResult, CompilerSession, int>? finish = null) =>
        Create(name, description, error, extra, report, new CompilerSession.Options(defaultMode), finish);

    /// <summary>
    /// As the other overloads, with the compile options made by the caller, who may then run the
    /// same body (<see cref="Elaborate"/>) with another error writer and report.
    /// </summary>
    public static Command Create(string name, string description, TextWriter error, IEnumerable<Option> extra,
        Func<ParseResult, CompilerSession, ElaboratedModel, int> report, CompilerSession.Options options,
        Func<ParseResult, CompilerSession, int>? finish = null)
    {
        var command = new Command(name, description);
        options.AddTo(command, withMode: true);
        foreach (var option in extra)
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => Elaborate(parse, options, error, report, finish));
        return command;
    }

    /// <summary>
    /// The body of a command made by <see cref="Create(string, string, TextWriter, IEnumerable{Option}, Func{ParseResult, CompilerSession, ElaboratedModel, int}, CompilerSession.Options, Func{ParseResult, CompilerSession, int}?)"/>:
    /// compile the file of <paramref name="parse"/>, select and elaborate its models, hand each to
    /// <paramref name="report"/>; the exit code.
    /// </summary>
    public static int Elaborate(ParseResult parse, CompilerSession.Options options, TextWriter error,
        Func<ParseResult, CompilerSession, ElaboratedModel, int> report, Func<ParseResult, CompilerSession, int>? finish = null)
    {
        var session = CompilerSession.Open(parse, options, error, out var exitCode);
        if (session is null)
        {
            return exitCode;
        }
        if (session.Compilation.HasErrors || session.SelectModels() is not { } models)
        {
            return session.HadErrors ? ExitCodes.Diagnostics : ExitCodes.Usage;
        }
        if (models.IsEmpty)
        {
            error.WriteLine($"modelc: error: {parse.GetValue(options.File)} declares no models");
            return ExitCodes.Usage;
        }
        var result = ExitCodes.Ok;
        foreach (var model in models)
        {
            if (session.Elaborate(model) is { } elaborated)
            {
                result = Math.Max(result, ReportWithinLimits(session, elaborated));
            }
        }
        if (session.HadErrors)
        {
            return ExitCodes.Diagnostics;
        }
        return result == ExitCodes.Ok && finish is not null ? finish(parse, session) : result;

        // The passes after elaboration (autodiff, the train step) grow the graph; past the
        // compiler's limits that is the model's problem, not a crash.
        int ReportWithinLimits(CompilerSession session, ElaboratedModel model)
        {
            try
            {
                return report(parse, session, model);
            }
            catch (GraphLimitException e)
            {
                error.WriteLine($"modelc: error: {model.Name}: too large to compile: {e.Message}");
                return ExitCodes.Diagnostics;
            }
        }
    }
}
