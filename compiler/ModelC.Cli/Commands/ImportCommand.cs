using System.CommandLine;
using Google.Protobuf;
using ModelC.Onnx.Import;
using ModelC.Onnx.Proto;
using ModelC.Runtime.Checkpoints;

namespace ModelC.Cli.Commands;

/// <summary>
/// <c>modelc import</c>: writes an ONNX model as a <c>.mdl</c> file and its initializers as a
/// safetensors file beside it (<c>net.mdl</c>, <c>net.safetensors</c>), for <c>modelc run --weights</c>.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "The ONNX file to import." };
        var target = new Option<FileInfo>("--output", "-o") { Description = "The .mdl file to write; the weights go beside it as .safetensors.", Required = true };
        var name = new Option<string?>("--name") { Description = "The model's name (default: from the ONNX file's name)." };
        var command = new Command("import", "Write an ONNX model as a .mdl file plus a safetensors file of its weights.") { file, target, name };
        command.SetAction(parse =>
        {
            var source = parse.GetValue(file)!;
            var mdl = parse.GetValue(target)!.FullName;
            var modelName = parse.GetValue(name) ?? ModelNameOf(source.Name);
            try
            {
                var onnx = ModelProto.Parser.ParseFrom(File.ReadAllBytes(source.FullName));
                var imported = OnnxImporter.Import(onnx, modelName);
                var weights = Path.ChangeExtension(mdl, ".safetensors");
                File.WriteAllText(mdl, imported.Source);
                SafetensorsFile.Write(weights, imported.Weights);
                output.WriteLine($"{modelName}: wrote {mdl} and {weights} ({imported.Weights.Count} tensors)");
                return ExitCodes.Ok;
            }
            catch (OnnxImportException e)
            {
                error.WriteLine($"modelc: error: {source.Name}: {e.Message}");
                return ExitCodes.Diagnostics;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidProtocolBufferException or InvalidDataException or OverflowException)
            {
                error.WriteLine($"modelc: error: {source.Name}: {e.Message}");
                return ExitCodes.Usage;
            }
        });
        return command;
    }

    // mlp_small.onnx → MlpSmall
    private static string ModelNameOf(string fileName)
    {
        var words = Path.GetFileNameWithoutExtension(fileName).Split(['_', '-', '.', ' '], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string([.. w.Where(char.IsAsciiLetterOrDigit)])).Where(w => w.Length > 0);
        var name = string.Concat(words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        return name.Length == 0 || char.IsAsciiDigit(name[0]) ? "Imported" + name : name;
    }
}
