using System.IO.Compression;
using System.Text;
using ModelC.Onnx.Proto;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Data;

namespace ModelC.Cli.Tests;

/// <summary>
/// Files in and out of <c>modelc run</c> and <c>modelc export</c>: weights from a checkpoint
/// under PyTorch's names (<c>--rename</c>), inputs from an npz archive, PyTorch pickles refused
/// with the way to convert them, and the ONNX file written by export.
/// </summary>
public sealed class FileInputsTests : IClassFixture<ScratchFolder>
{
    private const string Source = """
        import std.nn;
        model Tiny(B: batch) {
            input  x: f32[B, 4];
            output logits = (linear(8) >> tanh >> linear(3))(x);
        }
        """;

    private readonly ScratchFolder _scratch;
    private readonly string _model;

    public FileInputsTests(ScratchFolder scratch)
    {
        _scratch = scratch;
        _model = scratch.Write("files.mdl", Source);
    }

    [Fact]
    public void AStateDictWithRenamedKeysAndNpzInputsGiveTheExpectedOutputs()
    {
        // nn.Sequential(Linear(4, 8), Tanh(), Linear(8, 3)) saves 0.* and 2.*. With the first
        // layer's weight zero its output is tanh(b0), so logits = W2·tanh(b0) + b2 whatever x is.
        var checkpoint = Path.Combine(_scratch.Path, "state_dict.safetensors");
        float[] b0 = [.. Enumerable.Range(0, 8).Select(i => 0.1f * i)];
        float[] w2 = [.. Enumerable.Range(0, 24).Select(i => 0.01f * i)];
        float[] b2 = [1, 2, 3];
        SafetensorsFile.Write(checkpoint,
        [
            KeyValuePair.Create("0.weight", DataArray.Of(new float[32], 8, 4)),
            KeyValuePair.Create("0.bias", DataArray.Of(b0, 8)),
            KeyValuePair.Create("2.weight", DataArray.Of(w2, 3, 8)),
            KeyValuePair.Create("2.bias", DataArray.Of(b2, 3)),
        ]);
        var inputs = WriteNpz("x.npz", "x", [.. Enumerable.Range(0, 8).Select(i => (float)i)], 2, 4);
        var saved = Path.Combine(_scratch.Path, "out.safetensors");

        var result = Run("--weights", checkpoint, "--rename", "0.=linear_0.", "--rename", "2.=linear_1.", "--inputs", inputs, "--save-tensors", saved);

        Assert.True(result.ExitCode == 0, result.ToString());
        var tensors = SafetensorsFile.Read(saved).Tensors;
        Assert.Equal(7f, tensors["x"].Floats[7]);
        for (var row = 0; row < 2; row++)
        {
            for (var o = 0; o < 3; o++)
            {
                var expected = b2[o] + Enumerable.Range(0, 8).Sum(i => w2[o * 8 + i] * MathF.Tanh(b0[i]));
                Assert.Equal(expected, tensors["logits"].Floats[row * 3 + o], 5);
            }
        }
    }

    [Fact]
    public void KeysThatMatchNoParameterAreRefusedWithTheRenameHint()
    {
        var checkpoint = Path.Combine(_scratch.Path, "unrenamed.safetensors");
        SafetensorsFile.Write(checkpoint, [KeyValuePair.Create("0.weight", DataArray.Of(new float[32], 8, 4))]);

        var result = Run("--weights", checkpoint);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("0.weight", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PK\u0003\u0004")]
    [InlineData("\u0080\u0002")]
    public void APyTorchPickleIsRefusedWithHowToConvertIt(string magic)
    {
        var pickle = Path.Combine(_scratch.Path, $"model{magic.Length}.pt");
        File.WriteAllBytes(pickle, [.. Encoding.Latin1.GetBytes(magic), .. new byte[64]]);

        var result = Run("--weights", pickle);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("PyTorch pickle", result.Error, StringComparison.Ordinal);
        Assert.Contains("save_file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void InputsOfTheWrongShapeNameTheBatchOption()
    {
        var inputs = WriteNpz("wide.npz", "x", new float[10], 2, 5);

        var result = Run("--inputs", inputs);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--batch", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ExportWritesAnOnnxModelWithASymbolicBatch()
    {
        var file = Path.Combine(_scratch.Path, "tiny.onnx");

        var result = Modelc.Run(["export", _model, "--stdlib", Modelc.Stdlib, "-o", file]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var onnx = ModelProto.Parser.ParseFrom(File.ReadAllBytes(file));
        Assert.Equal(17, onnx.OpsetImport.Single().Version);
        Assert.Equal("B", onnx.Graph.Input.Single().Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(["Gemm", "Tanh", "Gemm", "Identity"], onnx.Graph.Node.Select(n => n.OpType));
        Assert.Equal(["linear_0.weight", "linear_0.bias", "linear_1.weight", "linear_1.bias"], onnx.Graph.Initializer.Select(i => i.Name).Where(n => n.StartsWith("linear", StringComparison.Ordinal)));
    }

    [Fact]
    public void ExportRefusesAnOpsetItCannotWrite()
    {
        var result = Modelc.Run(["export", _model, "--stdlib", Modelc.Stdlib, "-o", Path.Combine(_scratch.Path, "old.onnx"), "--opset", "12"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("opset 12", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnImportedOnnxModelRunsWithItsWeights()
    {
        var mdl = Path.Combine(_scratch.Path, "imported.mdl");

        var imported = Modelc.Run(["import", Modelc.File("tests/ModelC.Onnx.Tests/Models/mlp.onnx"), "-o", mdl]);
        var run = Modelc.Run(["run", mdl, "--stdlib", Modelc.Stdlib, "--weights", Path.ChangeExtension(mdl, ".safetensors"), "-r", "0"]);

        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("  y [1, 4] = ", run.OutputLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void ImportListsTheNodesItCannotWrite()
    {
        // A sequence-first encoder layer: the batch is not the input's first dimension.
        var result = Modelc.Run(["import", Modelc.File("tests/ModelC.Onnx.Tests/Models/encoder_seq_first.onnx"), "-o", Path.Combine(_scratch.Path, "encoder.mdl")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("input 'x' has its symbolic dimension 'B' at axis 1", result.Error, StringComparison.Ordinal);
        Assert.Contains("Reshape node '/self_attn/Reshape': its target shape is computed at run time", result.Error, StringComparison.Ordinal);
    }

    private CliResult Run(params string[] extra) =>
        Modelc.Run(["run", _model, "--stdlib", Modelc.Stdlib, "--threads", "1", "-b", "2", "-r", "0", .. extra]);

    // numpy.savez's layout: a zip holding NAME.npy, a version 1.0 header padded to 64 bytes, then the data.
    private string WriteNpz(string file, string name, float[] values, params int[] shape)
    {
        var path = Path.Combine(_scratch.Path, file);
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({string.Join(", ", shape)},), }}";
        header = header.PadRight(64 - 10 - 1) + "\n";
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using var stream = zip.CreateEntry(name + ".npy").Open();
        stream.Write([0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0]);
        stream.Write(Encoding.Latin1.GetBytes(header));
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return path;
    }
}
