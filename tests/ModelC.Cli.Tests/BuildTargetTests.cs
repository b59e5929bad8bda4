using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Packaging;

namespace ModelC.Cli.Tests;

/// <summary>
/// <c>modelc build</c> compiles for a portable x86-64 level by default and records the CPU features
/// its code needs, which the runtime checks before loading it; CPU names and cross targets are
/// checked before anything compiles.
/// </summary>
public sealed class BuildTargetTests : IClassFixture<ScratchFolder>
{
    private const string Mlp = "examples/mlp/mlp.mdl";
    private readonly ScratchFolder _scratch;

    public BuildTargetTests(ScratchFolder scratch) => _scratch = scratch;

    [Fact]
    public void BuildIsPortableByDefaultAndNativeOnRequest()
    {
        var portable = Build("portable");
        Assert.Equal("x86_64-pc-linux-gnu (x86-64-v3)", portable.Target);
        Assert.Contains("avx2", portable.CpuFeatures);
        Assert.DoesNotContain("avx512f", portable.CpuFeatures);
        var avx512 = Assert.Single(portable.Variants);
        Assert.Equal(("x86-64-v4", "libMlp.x86-64-v4.so", "x86_64-pc-linux-gnu (x86-64-v4)"), (avx512.Cpu, avx512.Library, avx512.Manifest.Target));
        Assert.Superset(portable.CpuFeatures.Append("avx512f").Append("avx512vl").ToHashSet(), avx512.Manifest.CpuFeatures.ToHashSet());
        Assert.True(File.Exists(Path.Combine(_scratch.Path, "portable", avx512.Library)));

        var native = Build("native", "--cpu", "native");
        Assert.DoesNotContain("x86-64-v3", native.Target, StringComparison.Ordinal);
        Assert.All(native.CpuFeatures, f => Assert.True(CpuFeatureSupport.IsSupported(f), f));
        Assert.Superset(portable.CpuFeatures.ToHashSet(), native.CpuFeatures.ToHashSet());
        Assert.Empty(native.Variants);
        Assert.Empty(Build("one-level", "--cpu", "x86-64-v3").Variants);
    }

    [Fact]
    public void TheRuntimeLoadsTheAvx512BuildWhereTheCpuHasItAndThePortableOneElsewhere()
    {
        var folder = Path.Combine(_scratch.Path, "variants");
        Assert.Equal(0, Modelc.Run("build", Modelc.File(Mlp), "-o", folder, "--emit", "native").ExitCode);
        var lacksAvx512 = (string f) => !f.StartsWith("avx512", StringComparison.Ordinal) && CpuFeatureSupport.IsSupported(f);
        var (older, olderKernels) = ModelArtifact.Load(folder, "Mlp", lacksAvx512);
        using (olderKernels)
        {
            Assert.Equal("x86_64-pc-linux-gnu (x86-64-v3)", older.Target);
            Assert.Empty(older.Variants);
            if (!CpuFeatureSupport.IsSupported("avx512f"))
            {
                return;
            }
            var (here, hereKernels) = ModelArtifact.Load(folder, "Mlp");
            using (hereKernels)
            {
                Assert.Equal("x86_64-pc-linux-gnu (x86-64-v4)", here.Target);
                // Both builds run the same model from the same seed: the same outputs up to rounding.
                var (a, b) = (Forward(older, olderKernels), Forward(here, hereKernels));
                Assert.Equal(a.Length, b.Length);
                var scale = a.Max(Math.Abs);
                Assert.All(a.Zip(b), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-5f * scale, $"{p.First} vs {p.Second}"));
            }
        }

        // The variant's library is bound to its manifest entry like the portable one.
        // The folder's files are links into its current version, where the message finds the library.
        var variant = Path.Combine(ModelArtifact.Pin(folder), "libMlp.x86-64-v4.so");
        File.WriteAllBytes(variant, File.ReadAllBytes(variant)[..2000]);
        var error = Assert.Throws<InvalidDataException>(() => ModelArtifact.Load(folder, "Mlp"));
        Assert.StartsWith($"manifest field 'librarySha256': '{variant}' has SHA-256 ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBundleForGeneratedClassesCarriesBothBuildsOfEachProgram()
    {
        var folder = Path.Combine(_scratch.Path, "source");
        Assert.Equal(0, Modelc.Run("build", Modelc.File(Mlp), "-o", folder, "--emit", "source").ExitCode);
        using var stream = File.OpenRead(Path.Combine(folder, "mlp" + ModelBundle.Extension));
        var mlp = ModelBundle.Read(stream, "mlp.modelc")["Mlp"];
        foreach (var program in new[] { mlp.Inference, mlp.Training! })
        {
            Assert.Equal("x86_64-pc-linux-gnu (x86-64-v3)", program.Manifest.Target);
            var variant = Assert.Single(program.Variants);
            Assert.Equal(("x86-64-v4", "x86_64-pc-linux-gnu (x86-64-v4)"), (variant.Cpu, variant.Program.Manifest.Target));
            Assert.Contains("avx512f", variant.Program.Manifest.CpuFeatures);
        }
    }

    private static float[] Forward(ModelManifest manifest, IKernelLibrary kernels)
    {
        using var instance = new ModelInstance(manifest, kernels, new Dictionary<string, int> { ["B"] = 4 }, new ModelOptions(1, Seed: 3));
        var input = instance.Floats(manifest.TensorsOf(TensorRole.Input).Single().Name);
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = MathF.Sin(i);
        }
        instance.Run();
        return instance.Floats(manifest.TensorsOf(TensorRole.Output).First().Name).ToArray();
    }

    [Fact]
    public void ACpuWithoutTheFeaturesGetsOneLineNamingThem()
    {
        var folder = Path.Combine(_scratch.Path, "portable-run");
        Assert.Equal(0, Modelc.Run("build", Modelc.File(Mlp), "-o", folder, "--emit", "native").ExitCode);
        // .NET reports AVX2 (and what depends on it) as missing: the runtime sees an older CPU.
        var result = ModelcProcess.Run(new Dictionary<string, string?> { ["DOTNET_EnableAVX2"] = "0" }, "run", folder, "--repeat", "0");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("modelc: error: model Mlp was compiled for x86_64-pc-linux-gnu (x86-64-v3) and needs CPU features this processor lacks: avx2, ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("--cpu notacpu", "unknown x86-64 CPU 'notacpu': use a level (x86-64, x86-64-v2, x86-64-v3, x86-64-v4) or a name LLVM knows, e.g. haswell, skylake-avx512, znver3")]
    [InlineData("--cpu native --target aarch64-linux-gnu", "--cpu native is this x86_64-pc-linux-gnu machine's CPU; name a CPU of aarch64-linux-gnu")]
    [InlineData("--target aarch64-linux-gnu", "linking a library for aarch64-linux-gnu needs a linker for aarch64: set CC to one, e.g. CC=aarch64-linux-gnu-gcc")]
    public void AnUnusableTargetIsOneLineBeforeCompiling(string options, string message)
    {
        var output = Path.Combine(_scratch.Path, "refused");
        var result = ModelcProcess.Run(new Dictionary<string, string?> { ["CC"] = null }, ["build", Modelc.File(Mlp), "-o", output, .. options.Split(' ')]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"modelc: error: {message}\n", result.Error);
        Assert.Equal("", result.Output);
        Assert.False(Directory.Exists(output));
    }

    private ModelManifest Build(string name, params string[] options)
    {
        var folder = Path.Combine(_scratch.Path, name);
        var result = Modelc.Run(["build", Modelc.File(Mlp), "-o", folder, "--emit", "native", .. options]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return ManifestFile.Load(ModelArtifact.ManifestPath(folder, "Mlp"));
    }
}
