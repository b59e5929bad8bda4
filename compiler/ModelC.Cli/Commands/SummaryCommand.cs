using System.CommandLine;
using ModelC.Compiler.Reports;

namespace ModelC.Cli.Commands;

/// <summary><c>modelc summary</c>: a per-layer table of output shapes and parameter counts.</summary>
internal static class SummaryCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var depth = new Option<int?>("--depth") { Description = "Expand blocks down to this depth (default: every block expanded)." };
        return ModelCommand.Create("summary", "Print each layer with its output shape and parameter count (like torchinfo).", error, [depth],
            (parse, model) =>
            {
                output.Write(ModelSummary.Format(model, parse.GetValue(depth) ?? int.MaxValue));
                return ExitCodes.Ok;
            });
    }
}
