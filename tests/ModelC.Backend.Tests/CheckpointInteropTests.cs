using System.Text.Json;
using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Tests;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Execution;

namespace ModelC.Backend.Tests;

/// <summary>
/// Checkpoints between PyTorch and ModelC: a torch module's state_dict, written as safetensors
/// by tests/golden/make_torch_checkpoint.py, loads into the compiled model and gives torch's
/// logits; saved again by ModelC, it reads back bit for bit and keeps torch's layouts; and a
/// checkpoint that does not fit the model is refused with what is wrong.
/// </summary>
public sealed class CheckpointInteropTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "modelc-interop-" + Guid.NewGuid().ToString("N"));
    private readonly JsonElement _golden;
    private readonly ModelInstance _model;

    public CheckpointInteropTests()
    {
        Directory.CreateDirectory(_folder);
        using var file = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Get("tests", "golden", "checkpoints", "torch_classifier.json")));
        _golden = file.RootElement.Clone();
        var model = CompilerDriver.Elaborate(_golden.GetProperty("program").GetString()!, mode: ExecutionMode.Inference);
        var compiled = ModelCompiler.Compile(model, CpuTarget.Host);
        _model = new ModelInstance(compiled.Manifest, compiled.Kernels,
            new Dictionary<string, int> { ["B"] = _golden.GetProperty("x").GetArrayLength() }, new ModelOptions(1), ownsKernels: true);
    }

    private static string TorchFile => RepositoryPaths.Get("tests", "golden", "checkpoints", "torch_classifier.safetensors");

    [Fact]
    public void ATorchStateDictGivesTorchsLogits()
    {
        ModelCheckpoint.Load(_model, TorchFile);
        var x = _golden.GetProperty("x").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => v.GetSingle()).ToArray();
        x.CopyTo(_model.Floats("x"));
        _model.Run();
        var expected = _golden.GetProperty("logits").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => v.GetDouble()).ToArray();
        var actual = _model.Floats("logits").ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"logit {i}: {actual[i]} vs torch {expected[i]}");
        }
    }

    [Fact]
    public void SavingWritesBackTheSameTensorsUnderTheSameNamesAndLayouts()
    {
        ModelCheckpoint.Load(_model, TorchFile);
        var saved = Path.Combine(_folder, "saved.safetensors");
        ModelCheckpoint.Save(_model, saved, new Dictionary<string, string> { ["note"] = "round trip" });

        var torch = SafetensorsFile.Read(TorchFile);
        var ours = SafetensorsFile.Read(saved);
        Assert.Equal(torch.Tensors.Keys.Order(StringComparer.Ordinal), ours.Tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, tensor) in torch.Tensors)
        {
            Assert.Equal(tensor.Shape.ToArray(), ours.Tensors[name].Shape.ToArray());
            Assert.True(tensor.Floats.SequenceEqual(ours.Tensors[name].Floats), name);
        }
        Assert.Equal("round trip", ours.Metadata["note"]);
    }

    [Fact]
    public void ACheckpointOfAnotherModelIsRefusedWithWhatDiffers()
    {
        var torch = SafetensorsFile.Read(TorchFile);
        var wrongShape = Path.Combine(_folder, "shape.safetensors");
        SafetensorsFile.Write(wrongShape, torch.Tensors.Select(t => t.Key == "linear_2.bias"
            ? KeyValuePair.Create(t.Key, Runtime.Data.DataArray.Of(new float[4], 4)) : t));
        var missing = Path.Combine(_folder, "missing.safetensors");
        SafetensorsFile.Write(missing, torch.Tensors.Where(t => t.Key != "linear_1.weight"));
        var extra = Path.Combine(_folder, "extra.safetensors");
        SafetensorsFile.Write(extra, torch.Tensors.Append(KeyValuePair.Create("head.weight", Runtime.Data.DataArray.Of(new float[2], 2))));

        Assert.Equal($"{wrongShape}: tensor 'linear_2.bias' is f32[4] in the file but f32[3] in the model",
            Assert.Throws<CheckpointFormatException>(() => ModelCheckpoint.Load(_model, wrongShape)).Message);
        Assert.Equal($"{missing}: lacks 'linear_1.weight' of model Classifier",
            Assert.Throws<CheckpointFormatException>(() => ModelCheckpoint.Load(_model, missing)).Message);
        Assert.Equal($"{extra}: holds 'head.weight', which model Classifier does not have",
            Assert.Throws<CheckpointFormatException>(() => ModelCheckpoint.Load(_model, extra)).Message);
    }

    public void Dispose()
    {
        _model.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
