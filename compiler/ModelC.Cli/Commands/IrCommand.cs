using System.CommandLine;
using System.Globalization;
using System.Text;
using ModelC.Compiler.IR;
using ModelC.Compiler.Passes;
using ModelC.Compiler.Semantics.Elaboration;

namespace ModelC.Cli.Commands;

/// <summary><c>modelc ir</c>: prints the IR graph of each model after the pass pipeline, or after one pass of it.</summary>
internal static class IrCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var after = new Option<string?>("--after")
        {
            Description = $"Print the graph after this pass instead ('{GraphPipeline.Elaborated}': before any; --passes lists them).",
            HelpName = "pass",
        };
        var passes = new Option<bool>("--passes") { Description = "List the pipeline's passes with the node count after each and its time." };
        return ModelCommand.Create("ir",
            "Print the IR: the model as a typed graph of primitive tensor ops, after the whole pass pipeline (with --mode train, the train step).",
            error, [after, passes],
            (parse, model) =>
            {
                var pipeline = GraphPipeline.PassesFor(model);
                var labels = GraphPipeline.Labels(pipeline);
                var stop = parse.GetValue(after);
                // How many passes to run: all, none (the elaborated graph) or up to the one named.
                var count = stop is null ? pipeline.Length : stop == GraphPipeline.Elaborated ? 0 : labels.IndexOf(stop) + 1;
                if (stop is not null && stop != GraphPipeline.Elaborated && count == 0)
                {
                    error.WriteLine($"modelc: error: {model.Name} has no pass '{stop}'; its passes: {string.Join(", ", labels.Prepend(GraphPipeline.Elaborated))}");
                    return ExitCodes.Usage;
                }
                PipelineResult result;
                try
                {
                    result = GraphPipeline.Run(model.Graph, pipeline.Take(count));
                }
                catch (InvalidOperationException e)
                {
                    error.WriteLine($"modelc: error: {model.Name}: {e.Message}");
                    return ExitCodes.Diagnostics;
                }
                if (parse.GetValue(passes))
                {
                    output.Write(Table(model, result));
                }
                if (!parse.GetValue(passes) || stop is not null)
                {
                    output.Write(GraphPrinter.Print(result.Graph));
                }
                return ExitCodes.Ok;
            });
    }

    // One row per pass: its label, the nodes after it, its time (the input first, without a time).
    private static string Table(ElaboratedModel model, PipelineResult result)
    {
        var text = new StringBuilder();
        var mode = model.Mode.ToString().ToLowerInvariant();
        text.Append(CultureInfo.InvariantCulture, $"{model.Name} ({mode}): {result.Passes.Length} passes\n");
        text.Append(CultureInfo.InvariantCulture, $"  {"pass",-14}{"nodes",8}{"ms",10}\n");
        text.Append(CultureInfo.InvariantCulture, $"  {GraphPipeline.Elaborated,-14}{model.Graph.Nodes.Length,8}\n");
        foreach (var pass in result.Passes)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {pass.Name,-14}{pass.NodeCount,8}{pass.Elapsed.TotalMilliseconds,10:F1}\n");
        }
        return text.ToString();
    }
}
