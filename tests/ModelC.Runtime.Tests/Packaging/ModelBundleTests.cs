using System.IO.Compression;
using System.Text;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Packaging;

namespace ModelC.Runtime.Tests.Packaging;

public sealed class ModelBundleTests
{
    private static readonly BundledModel Classifier = new("Classifier", Program("Classifier", [1, 2, 3]), Program("Classifier", [4, 5]));
    private static readonly BundledModel Encoder = new("Encoder", Program("Encoder", [6]), null);

    [Fact]
    public void ModelsRoundTripWithTheirManifestsAndLibraries()
    {
        using var folder = new TempDirectory();
        var path = folder.File("net.modelc");
        ModelBundle.Write(path, [Classifier, Encoder]);

        using var stream = File.OpenRead(path);
        var models = ModelBundle.Read(stream, path);

        Assert.Equal(["Classifier", "Encoder"], models.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([1, 2, 3], models["Classifier"].Inference.Library);
        Assert.Equal([4, 5], models["Classifier"].Training!.Library);
        Assert.Equal(ManifestFile.Serialize(Classifier.Training!.Manifest), ManifestFile.Serialize(models["Classifier"].Training!.Manifest));
        Assert.Null(models["Encoder"].Training);
    }

    [Fact]
    public void GpuBuildsRoundTripWithTheSha256OfTheirKernels()
    {
        var gpu = new BundledProgram(Classifier.Inference.Manifest with { Device = DeviceKind.Gpu, Target = "ilgpu" }, [7, 8, 9]);
        var model = Classifier with { Inference = Classifier.Inference with { Gpu = gpu } };
        using var stream = new MemoryStream();
        ModelBundle.Write(stream, [model]);

        stream.Position = 0;
        var read = ModelBundle.Read(stream, "net.modelc")["Classifier"];

        Assert.Equal([7, 8, 9], read.Inference.Gpu!.Library);
        Assert.Equal(ManifestFile.Serialize(gpu.Manifest with { LibrarySha256 = ModelArtifact.HashOf([7, 8, 9]) }), ManifestFile.Serialize(read.Inference.Gpu.Manifest));
        Assert.Null(read.Inference.Manifest.Gpu);
        Assert.Null(read.Training!.Gpu);
        Assert.Same(read.Inference.Gpu, read.Inference.ForThisCpu(_ => true).Gpu);
    }

    [Fact]
    public void TheSameModelsGiveTheSameBytes()
    {
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        ModelBundle.Write(first, [Classifier, Encoder]);
        ModelBundle.Write(second, [Classifier, Encoder]);
        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void AProgramWithoutItsLibraryIsRefused()
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = new StreamWriter(archive.CreateEntry("Encoder/inference.manifest.json").Open());
            entry.Write(ManifestFile.Serialize(Encoder.Inference.Manifest));
        }
        stream.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => ModelBundle.Read(stream, "net.modelc"));
        Assert.Equal("net.modelc: 'Encoder/inference.so' is missing", error.Message);
    }

    // A flipped byte anywhere in an entry's data, stored or deflated, is refused by Read: it never
    // reaches the kernel cache (where it would stay under its own hash) or the loader.
    [Theory]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.Optimal)]
    public void AFlippedByteInALibraryIsRefused(CompressionLevel level)
    {
        var library = Enumerable.Range(0, 4096).Select(i => (byte)(i * i % 251)).ToArray();
        using var bundle = new MemoryStream();
        using (var archive = new ZipArchive(bundle, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in new[] { ("Encoder/inference.manifest.json", Encoding.UTF8.GetBytes(ManifestFile.Serialize(Encoder.Inference.Manifest))), ("Encoder/inference.so", library) })
            {
                using var entry = archive.CreateEntry(name, level).Open();
                entry.Write(bytes);
            }
        }
        var pristine = bundle.ToArray();
        Assert.Equal(library, ModelBundle.Read(new MemoryStream(pristine), "net.modelc")["Encoder"].Inference.Library);
        var start = LibraryDataOffset(pristine);
        var refused = 0;
        for (var at = start; at < start + 64; at++)
        {
            var damaged = pristine.ToArray();
            damaged[at] ^= 0x10;
            var error = Record.Exception(() => ModelBundle.Read(new MemoryStream(damaged), "net.modelc"));
            Assert.True(error is InvalidDataException, $"byte {at}: {error?.ToString() ?? "read without an error"}");
            Assert.StartsWith("net.modelc: ", error!.Message, StringComparison.Ordinal);
            refused += error.Message.Contains("entry 'Encoder/inference.so' is corrupted: its CRC-32 is ", StringComparison.Ordinal) ? 1 : 0;
        }
        Assert.True(refused > 0, "no flip reached the CRC check");
    }

    // Where the library entry's data starts: after its local header (30 bytes, the name, the extra field).
    private static int LibraryDataOffset(byte[] zip)
    {
        var name = "Encoder/inference.so"u8.ToArray();
        for (var at = 0; at + 30 < zip.Length; at++)
        {
            if (zip[at] == 0x50 && zip[at + 1] == 0x4b && zip[at + 2] == 3 && zip[at + 3] == 4 && zip.AsSpan(at + 30).StartsWith(name))
            {
                return at + 30 + BitConverter.ToUInt16(zip, at + 26) + BitConverter.ToUInt16(zip, at + 28);
            }
        }
        throw new InvalidOperationException("no library entry");
    }

    [Fact]
    public void BytesThatAreNoBundleAreRefused()
    {
        using var stream = new MemoryStream([1, 2, 3, 4]);
        var error = Assert.Throws<InvalidDataException>(() => ModelBundle.Read(stream, "net.modelc"));
        Assert.StartsWith("net.modelc: not a valid model bundle: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingResourceSaysTheAssemblyWasBuiltWithoutItsModels()
    {
        var error = Assert.Throws<InvalidDataException>(() => ModelBundle.FromResource(typeof(ModelBundleTests).Assembly, "net.modelc"));
        Assert.Equal("resource 'net.modelc' of ModelC.Runtime.Tests is missing; the assembly was built without its compiled models", error.Message);
    }

    private static BundledProgram Program(string name, byte[] library) =>
        new(new ModelManifest(ModelManifest.CurrentFormatVersion, name, "x86_64-pc-linux-gnu", DeviceKind.Cpu, ["B"], [], [], [], 0), library);
}
