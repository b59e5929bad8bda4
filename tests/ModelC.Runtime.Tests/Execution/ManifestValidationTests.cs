using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Tests.Execution;

/// <summary>
/// A manifest that comes with its code in memory (the JIT, a bundle) is validated by
/// <see cref="ModelInstance"/> too, before any kernel is looked up or called.
/// </summary>
public sealed class ManifestValidationTests
{
    private static readonly ModelManifest Manifest = new(ModelManifest.CurrentFormatVersion, "Net", "x86_64-pc-linux-gnu (test)", DeviceKind.Cpu, ["B"],
        [new BufferSpec(0, ElementType.F32, ["B", "4"], false, 0, 0), new BufferSpec(1, ElementType.F32, ["B", "4"], false, 0, 0)],
        [new TensorSpec("x", TensorRole.Input, 0), new TensorSpec("y", TensorRole.Output, 1)],
        [new KernelSpec("k", [1, 0], "y = x", KernelKind.Map)], 0);

    [Fact]
    public void AnInstanceRefusesAnInconsistentManifestBeforeTouchingItsCode()
    {
        var bad = Manifest with { Kernels = [new KernelSpec("k", [1, 2], "y = x", KernelKind.Map)] };
        using var code = new NoCode();
        var error = Assert.Throws<InvalidDataException>(() => new ModelInstance(bad, code, new Dictionary<string, int> { ["B"] = 2 }));
        Assert.Equal("manifest field 'kernels[0].buffers[1]': buffer 2 does not exist (the manifest has 2 buffers)", error.Message);
        Assert.Equal(0, code.Lookups);
    }

    [Fact]
    public void ParsingRefusesAnInconsistentManifest()
    {
        var json = ManifestFile.Serialize(Manifest with { ScratchBytes = -8 });
        Assert.Equal("manifest field 'scratchBytes': -8 is not between 0 and 1073741824", Assert.Throws<InvalidDataException>(() => ManifestFile.Parse(json)).Message);
        Assert.Equal(2, ManifestFile.Parse(ManifestFile.Serialize(Manifest)).Buffers.Length);
    }

    [Fact]
    public void AnIndexBoundSurvivesTheJsonAndIsRefusedWhereItCannotApply()
    {
        var labelled = Manifest with
        {
            Buffers = [.. Manifest.Buffers, new BufferSpec(2, ElementType.I32, ["B"], false, 0, 0)],
            Tensors = [.. Manifest.Tensors, new TensorSpec("labels", TensorRole.Input, 2, IndexBound: 10)],
        };
        Assert.Equal(10, ManifestFile.Parse(ManifestFile.Serialize(labelled)).Tensors[2].IndexBound);

        var negative = labelled with { Tensors = [.. labelled.Tensors[..2], labelled.Tensors[2] with { IndexBound = -1 }] };
        Assert.Equal("manifest field 'tensors[2].indexBound': -1 is negative or 'labels' is not an i32 input",
            Assert.Throws<InvalidDataException>(() => ManifestFile.Parse(ManifestFile.Serialize(negative))).Message);
        var onFloats = Manifest with { Tensors = [Manifest.Tensors[0] with { IndexBound = 4 }, Manifest.Tensors[1]] };
        Assert.Equal("manifest field 'tensors[0].indexBound': 4 is negative or 'x' is not an i32 input",
            Assert.Throws<InvalidDataException>(() => ManifestFile.Parse(ManifestFile.Serialize(onFloats))).Message);
    }

    [Fact]
    public void AnInPlaceFlagSurvivesTheJsonAndIsRefusedOnATensorThatReplacesNothing()
    {
        var updating = Manifest with { Tensors = [new TensorSpec("x", TensorRole.State, 0), new TensorSpec("x:next", TensorRole.Output, 1, Replaces: "x", InPlace: true)] };
        Assert.True(ManifestFile.Parse(ManifestFile.Serialize(updating)).Tensors[1].InPlace);

        var alone = Manifest with { Tensors = [Manifest.Tensors[0], Manifest.Tensors[1] with { InPlace = true }] };
        Assert.Equal("manifest field 'tensors[1].inPlace': 'y' replaces no tensor to write in place",
            Assert.Throws<InvalidDataException>(() => ManifestFile.Parse(ManifestFile.Serialize(alone))).Message);
    }

    private sealed class NoCode : IKernelLibrary
    {
        public int Lookups { get; private set; }

        public nint GetKernel(string symbol)
        {
            Lookups++;
            throw new InvalidOperationException($"no kernel '{symbol}'");
        }

        public void Dispose()
        {
        }
    }
}
