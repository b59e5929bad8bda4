using System.Runtime.InteropServices;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Tests.Manifest;

public sealed class ManifestHashTests
{
    private static readonly ModelManifest Net = new(ModelManifest.CurrentFormatVersion, "Net", "x86_64-pc-linux-gnu", DeviceKind.Cpu, ["B"],
        [new BufferSpec(0, ElementType.F32, ["B", "4"], false, 0, 0)], [new TensorSpec("x", TensorRole.Input, 0)], [new KernelSpec("mc_a", [0], "x", KernelKind.Map)], 0);

    [Fact]
    public void TheHashIsOfTheManifestsContentNotItsFormattingNorItsLibrarysHash()
    {
        var hash = ManifestHash.Of(Net);
        Assert.Equal(ManifestHash.Length, hash.Length);
        Assert.Equal(hash, ManifestHash.Of(ManifestFile.Parse(ManifestFile.Serialize(Net).Replace("\n", "", StringComparison.Ordinal))));
        Assert.Equal(hash, ManifestHash.Of(Net with { LibrarySha256 = new string('0', 64) }));
    }

    // Libraries already built carry this hash: hashing as the JSON is written must not change it.
    [Fact]
    public void TheHashIsTheSha256OfTheManifestsTextWithoutTheBindingFields()
    {
        var text = ManifestFile.Serialize(Net with { LibrarySha256 = null, Variants = [], Gpu = null });
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)), ManifestHash.Of(Net with { LibrarySha256 = new string('0', 64) }));
    }

    // The file is parsed from its UTF-8 bytes; a byte-order mark, as some editors write, is no error.
    [Fact]
    public void AManifestFileReadsAsItsTextWithOrWithoutAByteOrderMark()
    {
        using var dir = new TempDirectory();
        var path = dir.File("Net.manifest.json");
        var text = ManifestFile.Serialize(Net);
        foreach (var bom in new[] { false, true })
        {
            File.WriteAllText(path, text, new System.Text.UTF8Encoding(bom));
            Assert.Equal(text, ManifestFile.Serialize(ManifestFile.Load(path)));
        }
    }

    [Fact]
    public void EveryFieldTheCodeDependsOnChangesTheHash()
    {
        var hash = ManifestHash.Of(Net);
        Assert.NotEqual(hash, ManifestHash.Of(Net with { Buffers = [Net.Buffers[0] with { Shape = ["B", "5"] }] }));
        Assert.NotEqual(hash, ManifestHash.Of(Net with { Buffers = [Net.Buffers[0] with { Type = ElementType.I32 }] }));
        Assert.NotEqual(hash, ManifestHash.Of(Net with { Kernels = [Net.Kernels[0] with { Symbol = "mc_b" }] }));
        Assert.NotEqual(hash, ManifestHash.Of(Net with { ScratchBytes = 64 }));
    }

    [Fact]
    public void ALibraryWithoutAStampIsRefusedAsBuiltByAnOlderModelc()
    {
        // Any shared library that modelc did not link: the runtime's own native helper.
        var path = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so");
        using var library = new SharedLibraryKernels(path);
        var error = Assert.Throws<InvalidDataException>(() => ManifestHash.Check(Net, library, path));
        Assert.Equal($"'{path}' carries no manifest hash ('modelc_manifest_sha256'); it was built by an older modelc: rebuild the model with this version's modelc", error.Message);
    }
}
