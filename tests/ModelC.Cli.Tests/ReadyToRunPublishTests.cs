using System.Diagnostics;

namespace ModelC.Cli.Tests;

/// <summary>
/// A publish for one runtime precompiles modelc (ReadyToRun, README "Install the command"); a
/// build or the portable tool package cannot, since the SDK refuses ReadyToRun without a runtime.
/// </summary>
public sealed class ReadyToRunPublishTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("-p:UseCurrentRuntimeIdentifier=true", "true")]
    [InlineData("-p:RuntimeIdentifier=linux-arm64", "true")]
    public async Task PublishReadyToRunOnlyWhenARuntimeIsNamed(string property, string expected)
    {
        var project = RepositoryPaths.Get("compiler", "ModelC.Cli", "ModelC.Cli.csproj");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "msbuild", project, "-getProperty:PublishReadyToRun", "-nodeReuse:false", property }.Where(a => a != ""))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
        Assert.Equal(expected, (await output).Trim());
    }
}
