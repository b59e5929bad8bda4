using System.IO.Compression;
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
