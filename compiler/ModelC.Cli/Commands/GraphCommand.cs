using System.CommandLine;
using System.Diagnostics;
using ModelC.Compiler.Reports;

namespace ModelC.Cli.Commands;

/// <summary><c>modelc graph</c>: the architecture as a Graphviz picture.</summary>
internal static class GraphCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var depth = new Option<int?>("--depth") { Description = "Collapse blocks below this depth into one box (default: every block drawn in full)." };
        var file = new Option<FileInfo?>("--output", "-o") { Description = "Write here instead of stdout; a .svg or .png name renders with Graphviz's dot." };
        return ModelCommand.Create("graph", "Draw the model as a Graphviz digraph (dot text, or SVG/PNG through Graphviz).", error, [depth, file],
            (parse, model) =>
            {
                var dot = GraphvizWriter.Write(model, parse.GetValue(depth) ?? int.MaxValue);
                if (parse.GetValue(file) is not { } target)
                {
                    output.Write(dot);
                    return ExitCodes.Ok;
                }
                if (Directory.Exists(target.FullName))
                {
                    error.WriteLine($"modelc: error: --output {target} is a folder; give a file name");
                    return ExitCodes.Usage;
                }
                var format = target.Extension.TrimStart('.').ToLowerInvariant();
                if (format is not ("svg" or "png"))
                {
                    try
                    {
                        File.WriteAllText(target.FullName, dot);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        error.WriteLine($"modelc: error: cannot write {target}: {e.Message}");
                        return ExitCodes.Diagnostics;
                    }
                    return ExitCodes.Ok;
                }
                return Render(dot, format, target, error);
            });
    }

    private static int Render(string dot, string format, FileInfo target, TextWriter error)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("dot", ["-T" + format, "-o", target.FullName])
            {
                RedirectStandardInput = true,
                RedirectStandardError = true,
            })!;
            process.StandardInput.Write(dot);
            process.StandardInput.Close();
            var problems = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                error.WriteLine($"modelc: error: dot failed: {problems.Trim()}");
                return ExitCodes.Diagnostics;
            }
            return ExitCodes.Ok;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            error.WriteLine("modelc: error: rendering needs Graphviz's 'dot' on PATH (Debian: apt-get install graphviz); or write .dot and render it elsewhere");
            return ExitCodes.Usage;
        }
    }
}
