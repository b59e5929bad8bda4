using System.CommandLine;
using ModelC.Search.Reports;
using ModelC.Search.Strategies;

namespace ModelC.Cli.Commands;

/// <summary>
/// <c>modelc search-plot</c>: the best validation accuracy against candidates evaluated of
/// several searches in one SVG picture (to compare regularized evolution with random search),
/// each named by its folder.
/// </summary>
internal static class SearchPlotCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var folders = new Argument<DirectoryInfo[]>("folders") { Description = "Output folders of `modelc search`.", Arity = ArgumentArity.OneOrMore };
        var title = new Option<string>("--title") { Description = "The picture's title.", DefaultValueFactory = _ => "architecture search" };
        var file = new Option<FileInfo>("--output", "-o") { Description = "The SVG file to write.", Required = true };
        var command = new Command("search-plot", "Draw the progress of several searches (modelc search output folders) in one SVG picture.") { folders, title, file };
        command.SetAction(parse =>
        {
            try
            {
                var searches = parse.GetValue(folders)!.Select(f => (f.Name, SearchRecord.ReadAll(f.FullName))).ToArray();
                var target = parse.GetValue(file)!.FullName;
                File.WriteAllText(target, SearchPlot.Svg(parse.GetValue(title)!, searches));
                output.WriteLine($"wrote {target}: {string.Join(", ", searches.Select(s => $"{s.Name} ({s.Item2.Count} candidates)"))}");
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"modelc: error: {e.Message}");
                return ExitCodes.Diagnostics;
            }
        });
        return command;
    }
}
