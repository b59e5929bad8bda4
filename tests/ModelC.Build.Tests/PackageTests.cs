using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace ModelC.Build.Tests;

/// <summary>
/// The ModelC.Build package as a consumer sees it: a PackageReference and a ModelC item make a
/// model class that trains and predicts; models are compiled again exactly when they or their
/// imports change; errors in a .mdl fail the build at their line and column.
/// </summary>
public sealed class PackageTests(PackagedApp app) : IClassFixture<PackagedApp>
{
    [Fact]
    public void PackageHoldsTargetsCompilerAndRuntimeAndDependsOnlyOnTensors()
    {
        using var package = ZipFile.OpenRead(Path.Combine(app.Feed, "ModelC.Build.0.1.0.nupkg"));
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();
        string[] expected =
        [
            "build/ModelC.Build.props",
            "build/ModelC.Build.targets",
            "tasks/net10.0/ModelC.Build.Tasks.dll",
            "tools/net10.0/modelc.dll",
            "tools/net10.0/modelc.runtimeconfig.json",
            "tools/net10.0/ModelC.Compiler.dll",
            "tools/net10.0/stdlib/nn.mdl",
            "lib/net10.0/ModelC.Runtime.dll",
            "lib/net10.0/ModelC.Runtime.xml",
        ];
        Assert.True(expected.All(entries.Contains), "missing: " + string.Join(", ", expected.Except(entries)) + "\nentries:\n" + string.Join("\n", entries.Order()));

        using var nuspec = new StreamReader(package.GetEntry("ModelC.Build.nuspec")!.Open());
        var manifest = nuspec.ReadToEnd();
        var dependencies = Regex.Matches(manifest, "<dependency id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["System.Numerics.Tensors"], dependencies);
    }

    [Fact]
    public void RuntimePackageHasTheBuildPackagesVersionAndAuthors()
    {
        var feed = Path.Combine(app.Root, "runtime-feed");
        var pack = app.Dotnet.Run(RepositoryPaths.Root, TimeSpan.FromMinutes(2),
            "pack", RepositoryPaths.Get("runtime", "ModelC.Runtime", "ModelC.Runtime.csproj"), "-c", PackagedApp.Configuration, "--no-build", "-o", feed, "-nodeReuse:false", "-tl:off");
        Assert.True(pack.ExitCode == 0, pack.ToString());

        using var package = ZipFile.OpenRead(Path.Combine(feed, "ModelC.Runtime.0.1.0.nupkg"));
        Assert.NotNull(package.GetEntry("lib/net10.0/ModelC.Runtime.dll"));
        Assert.NotNull(package.GetEntry("lib/net10.0/ModelC.Runtime.xml"));
        using var nuspec = new StreamReader(package.GetEntry("ModelC.Runtime.nuspec")!.Open());
        var manifest = nuspec.ReadToEnd();
        Assert.Contains("<authors>ModelC</authors>", manifest, StringComparison.Ordinal);
        Assert.Contains("<description>Runs models compiled by ModelC", manifest, StringComparison.Ordinal);
        Assert.Contains("<dependency id=\"System.Numerics.Tensors\" version=\"" + Path.GetFileName(Path.GetDirectoryName(PackagedApp.TensorsPackage)), manifest, StringComparison.Ordinal);
    }

    [Fact]
    public void BuiltAppTrainsAndPredicts()
    {
        Assert.True(app.FirstBuild.ExitCode == 0, app.FirstBuild.ToString());
        Assert.True(PackagedApp.Compilations(app.FirstBuild, "net.mdl") == 1, app.FirstBuild.ToString());

        var run = app.Dotnet.Run(app.App, TimeSpan.FromMinutes(1), Path.Combine("bin", "Debug", "net10.0", "App.dll"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var values = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(words => string.Join(' ', words[..^1]), words => double.Parse(words[^1], CultureInfo.InvariantCulture));
        Assert.True(values["logits"] == 8 * 4, run.ToString());
        Assert.True(values["first loss"] > 0 && values["last loss"] < values["first loss"] / 2, run.ToString());
        Assert.True(values["right"] >= 6, run.ToString());
        Assert.True(values["tensor rows"] == 3 && values["tensor columns"] == 4 && values["tensor same"] == 1, run.ToString());
    }

    [Fact]
    public void ProcessesStartingAtOnceShareOneCopyOfTheKernels()
    {
        Assert.True(app.FirstBuild.ExitCode == 0, app.FirstBuild.ToString());
        var cache = Path.Combine(app.Root, "kernel-cache-" + Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string> { ["MODELC_CACHE"] = cache };
        var runs = new CommandResult[3];
        var threads = Enumerable.Range(0, runs.Length).Select(i => new Thread(() =>
            runs[i] = app.Dotnet.Run(environment, app.App, TimeSpan.FromMinutes(1), Path.Combine("bin", "Debug", "net10.0", "App.dll")))).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.ToString()));
        Assert.All(runs, run => Assert.Equal(runs[0].Output, run.Output));
        // One folder per library (forward pass, train step), each with the library alone: no
        // temporary copy of a process that lost the race is left behind.
        var folders = Directory.GetDirectories(Path.Combine(cache, "kernels"));
        Assert.Equal(2, folders.Length);
        Assert.All(folders, folder => Assert.Single(Directory.GetFiles(folder)));
    }

    /// <summary>
    /// <c>ModelCGpuKernels</c> puts the GPU kernels into the bundle and references the GPU runtime:
    /// the app's class trains on ILGPU's CPU accelerator as on the CPU (1e-4).
    /// </summary>
    [Fact]
    public void GpuKernelsPropertyLetsTheAppsClassRunOnIlgpuCpu()
    {
        var folder = app.CreateProject("gpu", new()
        {
            ["net.mdl"] = Sources.Model,
            ["layers.mdl"] = Sources.Layers,
            ["Program.cs"] = Sources.GpuProgram,
        });
        File.WriteAllText(Path.Combine(folder, "App.csproj"), Sources.Project.Replace(
            "<Nullable>enable</Nullable>", "<Nullable>enable</Nullable>\n    <ModelCGpuKernels>true</ModelCGpuKernels>", StringComparison.Ordinal));
        var build = app.Build(folder);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("--device auto", File.ReadAllText(Path.Combine(folder, "obj", "Debug", "net10.0", "modelc", "net.command")), StringComparison.Ordinal);

        var run = app.Dotnet.Run(folder, TimeSpan.FromMinutes(2), Path.Combine("bin", "Debug", "net10.0", "App.dll"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var values = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(words => string.Join(' ', words[..^1]), words => double.Parse(words[^1], CultureInfo.InvariantCulture));
        Assert.True(values["device"] == 2, run.ToString());
        Assert.True(values["loss difference"] <= 1e-4 && values["logits difference"] <= 1e-4, run.ToString());
    }

    [Fact]
    public void UnchangedModelIsNotCompiledAgain()
    {
        var build = app.Build(app.App);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.False(build.Output.Contains("modelc: compiling", StringComparison.Ordinal), build.ToString());
    }

    [Theory]
    [InlineData("net.mdl")]
    [InlineData("layers.mdl")]
    public void ChangedModelOrImportCompilesTheModelAgain(string file)
    {
        File.SetLastWriteTimeUtc(Path.Combine(app.App, file), DateTime.UtcNow);
        var build = app.Build(app.App);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(PackagedApp.Compilations(build, "net.mdl") == 1, build.ToString());
    }

    [Fact]
    public void ErrorInModelFailsTheBuildAtItsLineAndColumn()
    {
        var folder = app.CreateProject("error", new()
        {
            ["net.mdl"] = Sources.ModelWithError,
            ["layers.mdl"] = Sources.Layers,
        });
        var build = app.Build(folder);
        Assert.True(build.ExitCode != 0, build.ToString());
        // MSBuild's canonical place: file(line,col) or, with the end of the span, file(line,col,endLine,endCol).
        var diagnostic = new Regex(Regex.Escape(Path.Combine(folder, "net.mdl")) + @"\(8,36(,8,42)?\): error MC2001: unknown name 'lineer' \(hint: did you mean 'linear'\?\)");
        Assert.True(diagnostic.IsMatch(build.Output), $"expected {diagnostic} in\n{build}");
        // That error alone: no "command exited with code 1" after it (MSB3073, MSB6006), and the
        // build stopped before compiling C# without the generated file (CS2001).
        Assert.True(build.Output.Contains("    1 Error(s)", StringComparison.Ordinal), build.ToString());
        Assert.DoesNotContain("CS2001", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void OlderTargetFrameworkIsRefusedWithOneError()
    {
        // Restoring net8.0 needs its targeting pack, which the private feed lacks: this project
        // imports the restored package's props and targets itself and runs only the ModelC targets.
        var build = Path.Combine(app.Root, "packages", "modelc.build", "0.1.0", "build");
        var folder = app.CreateProject("net8", new() { ["net.mdl"] = Sources.Model, ["layers.mdl"] = Sources.Layers });
        File.WriteAllText(Path.Combine(folder, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{build}/ModelC.Build.props" />
              <PropertyGroup>
                <TargetFramework>net8.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <ModelC Include="net.mdl" Namespace="Demo" />
              </ItemGroup>
              <Import Project="{build}/ModelC.Build.targets" />
            </Project>
            """);
        Assert.True(app.FirstBuild.ExitCode == 0, app.FirstBuild.ToString());

        var result = app.Dotnet.Run(folder, PackagedApp.BuildTimeout, "msbuild", "-t:ModelCCompile", "-restore:false", "-nodeReuse:false", "-tl:off");
        Assert.True(result.ExitCode != 0, result.ToString());
        var error = Assert.Single(result.Output.Split('\n'), line => line.Contains(": error ", StringComparison.Ordinal));
        Assert.Contains("error MCB0003: ModelC.Build supports net10.0 and later; this project targets net8.0.", error, StringComparison.Ordinal);
    }

    /// <summary>
    /// Item metadata chooses the model, sets its parameters and makes its class internal; a
    /// metadata change compiles the model again (the item's command file is an input of the
    /// compile), and a build with nothing changed does not.
    /// </summary>
    [Fact]
    public void ItemMetadataChoosesTheModelSetsItsParametersAndVisibilityAndAChangeCompilesAgain()
    {
        var folder = app.CreateProject("metadata", new()
        {
            ["net.mdl"] = Sources.TwoModels,
            ["Program.cs"] = Sources.TwoModelsProgram,
        });
        string Run()
        {
            var run = app.Dotnet.Run(folder, TimeSpan.FromMinutes(1), Path.Combine("bin", "Debug", "net10.0", "App.dll"));
            Assert.True(run.ExitCode == 0, run.ToString());
            return run.Output.ReplaceLineEndings("\n");
        }
        void BuildWith(string metadata, int compilations)
        {
            File.WriteAllText(Path.Combine(folder, "App.csproj"), Sources.Project.Replace(
                "<ModelC Include=\"net.mdl\" Namespace=\"Demo\" />", $"<ModelC Include=\"net.mdl\" Namespace=\"Demo\" Model=\"Second\" {metadata} />", StringComparison.Ordinal));
            var build = app.Build(folder);
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.True(PackagedApp.Compilations(build, "net.mdl") == compilations, build.ToString());
        }

        BuildWith("Defines=\"width=7;depth=2\" Visibility=\"internal\"", 1);
        Assert.Equal("14\nFalse\nFalse\n", Run());

        BuildWith("Defines=\"width=5;depth=2\" Visibility=\"internal\"", 1);
        Assert.Equal("10\nFalse\nFalse\n", Run());

        BuildWith("Defines=\"width=5;depth=2\" Visibility=\"internal\"", 0);

        BuildWith("Defines=\"width=5;depth=2\"", 1);
        Assert.Equal("10\nFalse\nTrue\n", Run());
    }
}
