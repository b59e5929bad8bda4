using ModelC.Compiler.Semantics;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Semantics.Symbols;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Tests;
using ModelC.Compiler.Text;

namespace ModelC.Backend.Tests;

/// <summary>One model of an example file, elaborated in one mode with optional -D style settings.</summary>
/// <param name="File">The example file, relative to the repository root.</param>
/// <param name="Model">The model's name.</param>
/// <param name="Mode">Inference or training.</param>
/// <param name="Settings">Model parameter values, or null for the defaults.</param>
internal sealed record ExampleCase(string File, string Model, ExecutionMode Mode, IReadOnlyDictionary<string, Value>? Settings)
{
    /// <summary>Every model of <c>examples/**/*.mdl</c>, file by file in name order, with its file relative to the repository root.</summary>
    public static IEnumerable<(string File, ModelSymbol Model)> ExampleModels() =>
        Directory.GetFiles(RepositoryPaths.Get("examples"), "*.mdl", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(path => Compilation.Load(path, CompilerDriver.Options).Models
                .Select(model => (Path.GetRelativePath(RepositoryPaths.Root, path), model)));

    /// <summary>The model elaborated as the case says; fails the test with the diagnostics if it does not elaborate.</summary>
    public ElaboratedModel Elaborate()
    {
        var compilation = Compilation.Load(RepositoryPaths.Get(File), CompilerDriver.Options);
        var result = compilation.Elaborate(compilation.FindModel(Model)!, Mode, Settings);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Select(DiagnosticFormatter.Format)));
        return result.Model!;
    }
}
