using System.CommandLine;
using ModelC.Onnx.Export;
using ModelC.Runtime.Checkpoints;

namespace ModelC.Cli.Commands;

/// <summary>
/// <c>modelc export</c>: writes a model's inference graph with its weights as an ONNX file, the
/// batch as a named (symbolic) dimension; the weights come from <c>--weights</c>, else from the
/// initialisation with <c>--seed</c> (those of <c>modelc run --seed</c>).
/// </summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Option<FileInfo>("--output", "-o") { Description = "The ONNX file to write.", Required = true };
        var weights = new Option<FileInfo?>("--weights", "-w") { Description = "A safetensors checkpoint with every parameter and state (default: drawn with --seed)." };
        var rename = new Option<string[]>("--rename") { Description = "Rename checkpoint tensors: from=to, 'prefix.=prefix.', or @file of such lines. Repeatable.", AllowMultipleArgumentsPerToken = false };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the parameters when no --weights is given.", DefaultValueFactory = _ => 0 };
        var opset = new Option<int>("--opset") { Description = $"The ONNX opset ({OnnxExporter.MinimumOpset}–{OnnxExporter.MaximumOpset}); default {OnnxExporter.DefaultOpset}.", DefaultValueFactory = _ => OnnxExporter.DefaultOpset };
        return ModelCommand.Create("export", "Write a model's inference graph and weights as an ONNX file.", error,
            [file, weights, rename, seed, opset],
            (parse, session, model) =>
            {
                if (session.SelectModels() is { Length: > 1 } models)
                {
                    // Said once, for the first model.
                    return models[0] == model.Symbol ? OneModel(error) : ExitCodes.Usage;
                }
                if (WeightRenames.Parse(parse.GetValue(rename) ?? [], out var problem) is not { } renames)
                {
                    error.WriteLine($"modelc: error: {problem}");
                    return ExitCodes.Usage;
                }
                var path = parse.GetValue(file)!.FullName;
                try
                {
                    var values = GraphWeights.Sample(model.Graph, parse.GetValue(seed));
                    if (parse.GetValue(weights) is { } checkpoint)
                    {
                        GraphWeights.Load(values, checkpoint.FullName, renames);
                    }
                    var onnx = OnnxExporter.Export(model, values, parse.GetValue(opset));
                    OnnxExporter.Save(onnx, path);
                    output.WriteLine($"{model.Name}: wrote {path} ({onnx.Graph.Node.Count} ONNX nodes, opset {parse.GetValue(opset)})");
                    return ExitCodes.Ok;
                }
                catch (Exception e) when (e is OnnxExportException or CheckpointFormatException or IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"modelc: error: {model.Name}: {e.Message}");
                    return e is OnnxExportException ? ExitCodes.Diagnostics : ExitCodes.Usage;
                }
            }, defaultMode: "infer");

        static int OneModel(TextWriter error)
        {
            error.WriteLine("modelc: error: an ONNX file holds one model; choose it with --model");
            return ExitCodes.Usage;
        }
    }
}
