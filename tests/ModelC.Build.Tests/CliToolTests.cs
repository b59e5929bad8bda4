using System.Diagnostics;

namespace ModelC.Build.Tests;

/// <summary>
/// The compiler packs as a .NET tool: installed from a feed with <c>dotnet tool install</c>, the
/// <c>modelc</c> command runs from any folder, with its standard library.
/// </summary>
public sealed class CliToolTests
{
    [Fact]
    public void TheCliInstallsAsADotnetToolNamedModelc()
    {
        using var root = new TempDirectory();
        var dotnet = new Dotnet(root.File("packages"));
        var pack = dotnet.Run(RepositoryPaths.Root, TimeSpan.FromMinutes(2),
            "pack", RepositoryPaths.Get("compiler", "ModelC.Cli", "ModelC.Cli.csproj"), "-c", PackagedApp.Configuration, "--no-build", "-o", root.File("feed"), "-nodeReuse:false", "-tl:off");
        Assert.True(pack.ExitCode == 0, pack.ToString());
        // Only the private feed: the tool and its dependencies come from the package.
        File.WriteAllText(root.File("nuget.config"), Sources.NuGetConfig(root.File("feed")));
        var install = dotnet.Run(root.Path, TimeSpan.FromMinutes(2), "tool", "install", "--tool-path", root.File("tools"), "--add-source", root.File("feed"), "ModelC.Cli");
        Assert.True(install.ExitCode == 0, install.ToString());

        var start = new ProcessStartInfo(root.File("tools/modelc")) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root.Path };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add(RepositoryPaths.Get("examples", "mlp", "mlp.mdl"));
        using var modelc = Process.Start(start)!;
        // A line or two each way: reading one to the end, then the other, cannot block.
        var output = modelc.StandardOutput.ReadToEnd();
        var error = modelc.StandardError.ReadToEnd();
        modelc.WaitForExit();
        Assert.True(modelc.ExitCode == 0, $"{output}\n{error}");
        Assert.Equal("Mlp: ok, 669,706 parameters\n", output);
    }
}
