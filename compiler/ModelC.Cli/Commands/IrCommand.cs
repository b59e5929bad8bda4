using System.CommandLine;
using ModelC.Compiler.IR;

namespace ModelC.Cli.Commands;

/// <summary><c>modelc ir</c>: prints the IR graph of each model.</summary>
internal static class IrCommand
{
    public static Command Create(TextWriter output, TextWriter error) =>
        ModelCommand.Create("ir", "Print the IR: the model as a typed graph of primitive tensor ops.", error, [],
            (_, model) =>
            {
                output.Write(GraphPrinter.Print(model.Graph));
                return ExitCodes.Ok;
            });
}
