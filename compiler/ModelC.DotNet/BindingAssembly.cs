using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelC.Runtime.Bindings;

namespace ModelC.DotNet;

/// <summary>
/// Compiles generated model classes with Roslyn into a .NET assembly that embeds the models'
/// bundle as a resource, with its XML documentation beside it. The assembly references only the
/// framework and <c>ModelC.Runtime</c>, so apps need no compiler and no LLVM to use it.
/// </summary>
public static class BindingAssembly
{
    /// <summary>Compiles <paramref name="source"/> into <paramref name="assemblyPath"/> and its documentation into <paramref name="documentationPath"/>.</summary>
    /// <param name="assemblyName">The assembly's name.</param>
    /// <param name="source">The C# source from <see cref="BindingSource.Generate"/>.</param>
    /// <param name="resourceName">The name the source loads the bundle by.</param>
    /// <param name="bundle">The bytes of the <c>.modelc</c> bundle.</param>
    /// <param name="assemblyPath">Where the assembly goes (replaced atomically).</param>
    /// <param name="documentationPath">Where the XML documentation goes.</param>
    /// <exception cref="InvalidOperationException">The source does not compile (a bug in the generator; the message lists Roslyn's errors).</exception>
    public static void Compile(string assemblyName, string source, string resourceName, byte[] bundle, string assemblyPath, string documentationPath)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose), path: assemblyName + ".g.cs");
        var compilation = CSharpCompilation.Create(assemblyName, [tree], References(), new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release,
            nullableContextOptions: NullableContextOptions.Enable,
            deterministic: true));
        using var assembly = new MemoryStream();
        using var documentation = new MemoryStream();
        var result = compilation.Emit(assembly, xmlDocumentationStream: documentation,
            manifestResources: [new ResourceDescription(resourceName, () => new MemoryStream(bundle, writable: false), isPublic: true)]);
        var problems = result.Diagnostics.Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning).ToList();
        if (!result.Success || problems.Count > 0)
        {
            throw new InvalidOperationException("the generated C# does not compile (a modelc bug; please report it):\n  " + string.Join("\n  ", problems.Take(10)));
        }
        Runtime.Checkpoints.AtomicFile.Write(assemblyPath, stream => assembly.WriteTo(stream));
        Runtime.Checkpoints.AtomicFile.Write(documentationPath, stream => documentation.WriteTo(stream));
    }

    // The framework's reference assemblies, as a project build uses: classes compiled against
    // its implementation assemblies would name System.Private.CoreLib, which projects cannot see.
    // They come with the .NET SDK, next to the runtime this compiler runs on.
    private static ImmutableArray<MetadataReference> References()
    {
        var framework = ReferencePack() ?? throw new InvalidOperationException(
            $"compiling a .NET assembly needs the reference assemblies of .NET {Environment.Version.Major}.{Environment.Version.Minor} " +
            "(packs/Microsoft.NETCore.App.Ref in the .NET SDK), and none were found; install the .NET SDK, or build with --emit source or --emit native");
        // The runtime and the package its protected members use (the tensor overloads' types).
        return [.. Directory.EnumerateFiles(framework, "*.dll").Append(typeof(CompiledModel).Assembly.Location).Append(typeof(System.Numerics.Tensors.Tensor).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    private static string? ReferencePack()
    {
        // shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll → the installation's root.
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } configured ? configured
            : runtime is null ? null
            : Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var packs = root is null ? null : Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        if (packs is null || !Directory.Exists(packs))
        {
            return null;
        }
        var framework = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        return Directory.EnumerateDirectories(packs)
            .Where(v => Version.TryParse(Path.GetFileName(v).Split('-')[0], out var version) && version.Major == Environment.Version.Major && version.Minor == Environment.Version.Minor)
            .OrderByDescending(v => Version.Parse(Path.GetFileName(v).Split('-')[0]))
            .Select(v => Path.Combine(v, "ref", framework))
            .FirstOrDefault(Directory.Exists);
    }
}
