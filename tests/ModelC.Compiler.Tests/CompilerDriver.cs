using System.Collections.Immutable;
using ModelC.Compiler.Semantics;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Tests;

/// <summary>Runs the front end the way <c>modelc check</c> does, for tests.</summary>
internal static class CompilerDriver
{
    /// <summary>Options that use the repository's stdlib folder.</summary>
    public static CompilationOptions Options { get; } = new() { StandardLibrary = RepositoryPaths.Get("stdlib") };

    /// <summary>Every diagnostic of a program: static ones, then (if none are errors) each model's elaboration in training mode.</summary>
    public static ImmutableArray<Diagnostic> Check(string path, string source)
    {
        var compilation = Compilation.FromSource(path, source, Options);
        if (compilation.HasErrors)
        {
            return compilation.Diagnostics;
        }
        var all = compilation.Diagnostics.ToBuilder();
        foreach (var model in compilation.Models)
        {
            all.AddRange(compilation.Elaborate(model, ExecutionMode.Training).Diagnostics);
        }
        return all.ToImmutable();
    }

    /// <summary>Compiles source that must be valid and elaborates its one (or named) model.</summary>
    public static ElaboratedModel Elaborate(string source, string? model = null, ExecutionMode mode = ExecutionMode.Inference,
        IReadOnlyDictionary<string, ModelC.Compiler.Semantics.Values.Value>? arguments = null)
    {
        var compilation = Compilation.FromSource(Path.Combine(RepositoryPaths.Root, "test.mdl"), source, Options);
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Diagnostics.Select(DiagnosticFormatter.Format)));
        var symbol = model is null ? Assert.Single(compilation.Models) : compilation.FindModel(model)!;
        var result = compilation.Elaborate(symbol, mode, arguments);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Select(DiagnosticFormatter.Format)));
        return result.Model!;
    }
}
