using ModelC.Runtime.Manifest;
using ModelC.Runtime.Packaging;

namespace ModelC.Runtime.Tests.Execution;

/// <summary>
/// A manifest may list builds of its program for more capable CPUs (<see cref="ModelManifest.Variants"/>):
/// the runtime runs the first the processor has the features of, else the portable build, and a
/// processor lacking even the portable build's features gets the portable build's error.
/// </summary>
public sealed class CpuVariantTests
{
    private static readonly string[] V3 = ["avx", "avx2", "bmi", "bmi2", "fma", "lzcnt", "popcnt", "sse4.2"];
    private static readonly string[] V4 = [.. V3, "avx512bw", "avx512cd", "avx512dq", "avx512f", "avx512vl"];

    private static readonly ModelManifest Portable = ManifestFor("x86-64-v3", V3);
    private static readonly ModelManifest Avx512 = ManifestFor("x86-64-v4", V4);
    private static readonly ModelManifest WithVariant = Portable with { Variants = [new CpuVariant("x86-64-v4", "libNet.x86-64-v4.so", Avx512)] };

    public static TheoryData<string, string[], string> Hosts() => new()
    {
        { "an AVX-512 host runs the v4 build", V4, "libNet.x86-64-v4.so" },
        { "a host with AVX-512F alone runs the v3 build", [.. V3, "avx512f"], "libNet.so" },
        { "an AVX2 host runs the v3 build", V3, "libNet.so" },
    };

    [Theory]
    [MemberData(nameof(Hosts))]
    public void TheBestBuildTheHostSupportsIsChosen(string host, string[] features, string library)
    {
        var (manifest, chosen) = CpuVariants.Choose(WithVariant, "libNet.so", features.Contains);
        Assert.True(library == chosen, host);
        Assert.Equal(library == "libNet.so" ? Portable : Avx512, manifest);
        Assert.Empty(manifest.Variants);
    }

    [Fact]
    public void AHostLackingThePortableFeaturesGetsThePortableBuildsError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CpuVariants.Choose(WithVariant, "libNet.so", f => f is "avx" or "popcnt" or "sse4.2"));
        Assert.StartsWith("model Net was compiled for x86_64-pc-linux-gnu (x86-64-v3) and needs CPU features this processor lacks: avx2, bmi, ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VariantsRoundTripAndAManifestWithoutThemHasNone()
    {
        var json = ManifestFile.Serialize(WithVariant);
        Assert.Contains("\"variants\": [", json, StringComparison.Ordinal);
        Assert.Equal(json, ManifestFile.Serialize(ManifestFile.Parse(json)));
        Assert.Empty(ManifestFile.Parse(ManifestFile.Serialize(Portable).Replace("\"variants\": []", "\"unused\": 0", StringComparison.Ordinal)).Variants);
    }

    [Theory]
    [InlineData("../libNet.x86-64-v4.so", "manifest field 'variants[0].library': '../libNet.x86-64-v4.so' is not a file name")]
    [InlineData("/lib/libc.so.6", "manifest field 'variants[0].library': '/lib/libc.so.6' is not a file name")]
    public void AVariantLibraryOutsideTheFolderIsRefused(string library, string message)
    {
        var json = ManifestFile.Serialize(WithVariant with { Variants = [WithVariant.Variants[0] with { Library = library }] });
        Assert.Equal(message, Assert.Throws<InvalidDataException>(() => ManifestFile.Parse(json)).Message);
    }

    [Fact]
    public void AVariantOfAnotherModelOrWithAnUnknownFeatureIsRefused()
    {
        var other = ManifestFile.Serialize(WithVariant with { Variants = [WithVariant.Variants[0] with { Manifest = Avx512 with { Name = "Other" } }] });
        Assert.StartsWith("manifest field 'variants[0].manifest': it is not a build of model Net", Assert.Throws<InvalidDataException>(() => ManifestFile.Parse(other)).Message, StringComparison.Ordinal);
        var unknown = ManifestFile.Serialize(WithVariant with { Variants = [WithVariant.Variants[0] with { Manifest = Avx512 with { CpuFeatures = ["amx-tile"] } }] });
        Assert.StartsWith("manifest field 'variants[0].manifest': manifest field 'cpuFeatures[0]': 'amx-tile' is not a feature",
            Assert.Throws<InvalidDataException>(() => ManifestFile.Parse(unknown)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABundleKeepsEachVariantWithItsLibraryAndLoadsTheOneTheHostSupports()
    {
        var program = new BundledProgram(Portable, [3]) { Variants = [new BundledVariant("x86-64-v4", new BundledProgram(Avx512, [4]))] };
        using var stream = new MemoryStream();
        ModelBundle.Write(stream, [new BundledModel("Net", program, null)]);
        stream.Position = 0;
        var read = ModelBundle.Read(stream, "net.modelc")["Net"];

        var variant = Assert.Single(read.Inference.Variants);
        Assert.Equal("x86-64-v4", variant.Cpu);
        Assert.Equal([4], variant.Program.Library);
        Assert.Empty(read.Inference.Manifest.Variants);
        Assert.Equal([4], read.ForThisCpu(V4.Contains).Inference.Library);
        Assert.Equal([3], read.ForThisCpu(V3.Contains).Inference.Library);
    }

    private static ModelManifest ManifestFor(string cpu, string[] features) =>
        new(ModelManifest.CurrentFormatVersion, "Net", $"x86_64-pc-linux-gnu ({cpu})", DeviceKind.Cpu, ["B"], [], [], [], 0, CpuFeatures: [.. features]);
}
