using System.Reflection;

namespace ModelC.Build.Tests;

/// <summary>
/// ModelC.Build packed into a private feed, and a console project that uses it (a model importing
/// a second file), built once and shared by the tests: every <c>dotnet build</c> costs seconds.
/// </summary>
public sealed class PackagedApp : IDisposable
{
    /// <summary>The longest a build may take; the first one restores and compiles everything.</summary>
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(4);

    /// <summary>The temporary folder holding the feed, the package cache and the projects.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "modelc-build-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>The folder that <c>dotnet pack</c> wrote ModelC.Build.0.1.0.nupkg into.</summary>
    public string Feed { get; }

    /// <summary>The shared console project.</summary>
    public string App { get; }

    /// <summary>The first build of <see cref="App"/>, made by the constructor.</summary>
    internal CommandResult FirstBuild { get; }

    internal Dotnet Dotnet { get; }

    /// <summary>Packs ModelC.Build, writes the console project and builds it.</summary>
    public PackagedApp()
    {
        Directory.CreateDirectory(Root);
        // MSBuild looks for these files upwards from each project; empty ones here stop the search,
        // so nothing in the folders above (the system's temp folder) takes part in the builds.
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />\n");

        Dotnet = new Dotnet(Path.Combine(Root, "packages"));
        Feed = Path.Combine(Root, "feed");
        var project = RepositoryPaths.Get("compiler", "ModelC.Build", "ModelC.Build.csproj");
        var pack = Dotnet.Run(RepositoryPaths.Root, TimeSpan.FromMinutes(2),
            "pack", project, "-c", Configuration, "--no-build", "-o", Feed, "-nodeReuse:false", "-tl:off");
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException("packing ModelC.Build failed:\n" + pack);
        }
        // Its one dependency beside it: the feed is the projects' only source.
        File.Copy(TensorsPackage, Path.Combine(Feed, Path.GetFileName(TensorsPackage)));

        App = CreateProject("app", new()
        {
            ["net.mdl"] = Sources.Model,
            ["layers.mdl"] = Sources.Layers,
            ["Program.cs"] = Sources.Program,
        });
        FirstBuild = Build(App);
    }

    /// <summary>The Configuration these tests were built in: the one whose compiler and runtime are packed.</summary>
    internal static string Configuration { get; } = typeof(PackagedApp).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    /// <summary>The System.Numerics.Tensors package ModelC.Build depends on, as the tests' build restored it.</summary>
    internal static string TensorsPackage { get; } = typeof(PackagedApp).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TensorsPackage").Value!;

    /// <summary>Writes a project folder under <see cref="Root"/>: nuget.config, App.csproj and <paramref name="files"/>.</summary>
    public string CreateProject(string name, Dictionary<string, string> files)
    {
        var folder = Path.Combine(Root, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "nuget.config"), Sources.NuGetConfig(Feed));
        File.WriteAllText(Path.Combine(folder, "App.csproj"), Sources.Project);
        foreach (var (file, text) in files)
        {
            File.WriteAllText(Path.Combine(folder, file), text);
        }
        return folder;
    }

    /// <summary>Runs <c>dotnet build</c> in <paramref name="folder"/>.</summary>
    internal CommandResult Build(string folder) =>
        // No compiler server: like the MSBuild nodes, it would outlive the build.
        Dotnet.Run(folder, BuildTimeout, "build", "-nodeReuse:false", "-tl:off", "-p:UseSharedCompilation=false");

    /// <summary>How many times a build compiled <paramref name="file"/> (the targets say so once per compilation).</summary>
    internal static int Compilations(CommandResult build, string file) =>
        build.Output.Split('\n').Count(line => line.Trim() == "modelc: compiling " + file);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
