using System.CommandLine;
using ModelC.Compiler.Reports;

namespace ModelC.Cli.Commands;

/// <summary><c>modelc builtins</c>: lists every built-in with its signature (Markdown with --markdown).</summary>
internal static class BuiltinsCommand
{
    public static Command Create(TextWriter output)
    {
        var markdown = new Option<bool>("--markdown") { Description = "Print the Markdown reference (docs/builtins.md)." };
        var command = new Command("builtins", "List the built-in layers, functions, optimizers and constants with their signatures.") { markdown };
        command.SetAction(parse =>
        {
            output.Write(parse.GetValue(markdown) ? BuiltinReference.Markdown() : BuiltinReference.Text());
            return ExitCodes.Ok;
        });
        return command;
    }
}
