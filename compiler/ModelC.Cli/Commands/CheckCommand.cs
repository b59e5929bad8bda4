using System.CommandLine;
using System.Globalization;

namespace ModelC.Cli.Commands;

/// <summary><c>modelc check</c>: diagnostics only; on success one line per model.</summary>
internal static class CheckCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var options = new CompilerSession.Options();
        var command = new Command("check", "Check a .mdl file: syntax, names, shapes. Prints diagnostics (file:line:col) to stderr; exit code 1 if there are errors.");
        options.AddTo(command, withMode: false);
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
            foreach (var model in models)
            {
                if (session.Elaborate(model) is { } elaborated)
                {
                    var count = elaborated.Graph.ParameterCount.ToString("N0", CultureInfo.InvariantCulture);
                    output.WriteLine($"{model.Name}: ok, {count} parameters");
                }
            }
            if (!session.HadErrors && models.IsEmpty)
            {
                var blocks = session.Compilation.Root.Declarations.Count;
                output.WriteLine($"{parse.GetValue(options.File)}: ok, {blocks} declaration{(blocks == 1 ? "" : "s")}, no models");
            }
            return session.HadErrors ? ExitCodes.Diagnostics : ExitCodes.Ok;
        });
        return command;
    }
}
