using System.Globalization;
using System.Text.RegularExpressions;

namespace ModelC.Build.Tests;

/// <summary>
/// examples/App, which imports the targets from source and runs ModelC.Cli's output folder as the
/// compiler, builds inside the repository (it is a reference of this project) and trains.
/// </summary>
public sealed partial class ExampleAppTests
{
    [Fact]
    public void ExampleAppTrainsPredictsAndRestoresItsWeights()
    {
        var app = RepositoryPaths.Get("examples", "App", "bin", PackagedApp.Configuration, "net10.0", "App.dll");
        var run = new Dotnet().Run(RepositoryPaths.Root, TimeSpan.FromMinutes(2), app);
        Assert.True(run.ExitCode == 0, run.ToString());
        var right = RightOfFreshBatch().Match(run.Output);
        Assert.True(right.Success && int.Parse(right.Groups[1].Value, CultureInfo.InvariantCulture) >= 24, run.ToString());
        Assert.True(run.Output.Contains("restored from a checkpoint: same logits", StringComparison.Ordinal), run.ToString());
    }

    [GeneratedRegex(@"fresh batch: (\d+)/32 right")]
    private static partial Regex RightOfFreshBatch();
}
