using System.CommandLine;
using ModelC.Cli.Commands;

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
            TrainCommand.Create(output, error),
            BuiltinsCommand.Create(output),
            DevicesCommand.Create(output),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                error.WriteLine($"modelc: error: {problem.Message}");
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
    }

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
