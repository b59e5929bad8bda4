using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

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

        var native = Build("native", "--cpu", "native");
        Assert.DoesNotContain("x86-64-v3", native.Target, StringComparison.Ordinal);
        Assert.All(native.CpuFeatures, f => Assert.True(CpuFeatureSupport.IsSupported(f), f));
        Assert.Superset(portable.CpuFeatures.ToHashSet(), native.CpuFeatures.ToHashSet());
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
