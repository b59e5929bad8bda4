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
        Func<ParseResult, CompilerSession, int>? finish = null)
    {
        var options = new CompilerSession.Options(defaultMode);
        var command = new Command(name, description);
        options.AddTo(command, withMode: true);
        foreach (var option in extra)
        {
            command.Options.Add(option);
        }
        command.SetAction(parse =>
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
                    result = Math.Max(result, ReportWithinLimits(parse, session, elaborated));
                }
            }
            if (session.HadErrors)
            {
                return ExitCodes.Diagnostics;
            }
            return result == ExitCodes.Ok && finish is not null ? finish(parse, session) : result;
        });
        return command;

        // The passes after elaboration (autodiff, the train step) grow the graph; past the
        // compiler's limits that is the model's problem, not a crash.
        int ReportWithinLimits(ParseResult parse, CompilerSession session, ElaboratedModel model)
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
