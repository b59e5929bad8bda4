using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Cli.Tests;

/// <summary>
/// <c>modelc run DIR</c> while <c>modelc build -o DIR</c> replaces it (issue 14: 14 of 218 runs
/// segfaulted when library and manifest were renamed in two steps): the build publishes the folder
/// as one version, and a run pins one version, so every run sees one build or the other.
/// </summary>
public sealed class RebuildRaceTests
{
    // Two builds of model Net with different code and manifests: a run that mixed them would fail its checks or fault.
    private static string Source(int hidden) => $$"""
        import std.nn;
        model Net(B: batch) {
            input  x: f32[B, 4];
            output y = (linear({{hidden}}) >> tanh >> linear(3))(x);
        }
        """;

    [Fact]
    public async Task RunsDuringTwoConcurrentRebuildsEachSeeOneWholeBuild()
    {
        using var scratch = new ScratchFolder();
        var sources = new[] { 8, 16 }.Select(hidden =>
        {
            var path = Path.Combine(scratch.Path, $"net{hidden}.mdl");
            File.WriteAllText(path, Source(hidden));
            return path;
        }).ToArray();
        var output = Path.Combine(scratch.Path, "out");
        CliResult Build(string source) => ModelcProcess.Run(new Dictionary<string, string?>(), "build", source, "-o", output, "--emit", "native", "--stdlib", Modelc.Stdlib);
        var first = Build(sources[0]);
        Assert.True(first.ExitCode == 0, first.ToString());

        // The runs go through the CLI in this process, the builds in processes of their own.
        var rebuilds = sources.Select(source => Task.Run(() => Build(source))).ToArray();
        var runs = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (!rebuilds.All(r => r.IsCompleted) || runs < 20)
        {
            var run = Modelc.Run("run", output, "--batch", "2", "--repeat", "1");
            Assert.True(run.ExitCode == 0, $"run {runs}: {run}");
            var (manifest, kernels) = ModelArtifact.Load(output, "Net");
            using (kernels)
            {
                // The first layer's weight, [hidden, 4]: which build this run saw.
                seen.Add(manifest.Buffers[manifest.TensorsOf(TensorRole.Parameter).First().Buffer].Shape[0]);
            }
            runs++;
        }
        foreach (var rebuild in await Task.WhenAll(rebuilds))
        {
            Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        }
        Assert.Subset(new HashSet<string>(["8", "16"], StringComparer.Ordinal), seen);
        // The current version and the two before it stay for readers that pinned them; older ones go.
        Assert.InRange(Directory.GetDirectories(Path.Combine(output, ModelArtifact.VersionsFolder)).Length, 1, 3);
    }
}
