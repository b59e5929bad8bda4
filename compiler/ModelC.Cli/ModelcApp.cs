using System.CommandLine;
using ModelC.Cli.Commands;
using ModelC.Compiler.Semantics.Symbols;
using ModelC.Llvm;

namespace ModelC.Cli;

/// <summary>The <c>modelc</c> command line: builds the command tree and runs it with the given writers.</summary>
internal static class ModelcApp
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("modelc — compiles declarative neural-network models (.mdl) to native kernels.")
        {
            CheckCommand.Create(output, error),
            IrCommand.Create(output, error),
            SummaryCommand.Create(output, error),
            GraphCommand.Create(output, error),
            BuildCommand.Create(output, error),
            RunCommand.Create(output, error),
            ExportCommand.Create(output, error),
            ImportCommand.Create(output, error),
            TrainCommand.Create(output, error),
            SearchCommand.Create(output, error),
            SearchPlotCommand.Create(output, error),
            BuiltinsCommand.Create(output),
            DevicesCommand.Create(output),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in Problems(root, parse, args))
            {
                error.WriteLine($"modelc: error: {problem}");
            }
            error.WriteLine("Run 'modelc --help' for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A write that failed (a full disk, /dev/full, a closed pipe) is the command's failure:
            // its output is lost, so it must not exit 0.
            return WriteFailed(error, e);
        }
        catch (LlvmNotFoundException e)
        {
            // Whichever command first needs LLVM finds it missing; its message says what to install.
            error.WriteLine($"modelc: error: {e.Message}");
            return ExitCodes.Usage;
        }
    }

    // What is wrong with the command line. A first word that is no command is the one problem (the
    // rest was meant for that command); an unknown option gets the nearest of its command's.
    private static IEnumerable<string> Problems(RootCommand root, ParseResult parse, string[] args)
    {
        if (parse.CommandResult.Command == root && args is [var word, ..] && !word.StartsWith('-'))
        {
            return [$"unknown command '{word}'{DidYouMean(word, root.Subcommands.Select(c => c.Name))}"];
        }
        var options = parse.CommandResult.Command.Options.SelectMany(o => o.Aliases.Prepend(o.Name));
        var unknown = parse.UnmatchedTokens.Where(t => t.StartsWith('-')).ToHashSet(StringComparer.Ordinal);
        return parse.Errors.Select(e => unknown.FirstOrDefault(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal)) is { } token
            ? $"unknown option '{token}'{DidYouMean(token, options)}"
            : e.Message);
    }

    private static string DidYouMean(string word, IEnumerable<string> known) =>
        Suggestions.Closest(word, known) is { } nearest ? $" (did you mean '{nearest}'?)" : "";

    private static int WriteFailed(TextWriter error, Exception e)
    {
        try
        {
            error.WriteLine($"modelc: error: cannot write the output: {e.Message}");
        }
        catch (IOException)
        {
            // Standard error fails too; the exit code is all that is left to say it.
        }
        return ExitCodes.Diagnostics;
    }
}
