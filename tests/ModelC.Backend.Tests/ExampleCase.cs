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
    /// <summary>
    /// -D style settings that shrink the example models exposing a size parameter (the CPU and GPU
    /// example tests share them), so that the float64 interpreter keeps to seconds (measured on 2 cores at the defaults: the six Poisson runs at
    /// n=64 took 150 s together, Vit and Mixer at d=128 30 s, Macaron at S=64 13 s). ResNet18
    /// exposes none and runs at its full 32x32 (about 15 s a mode). What remains is mostly LLVM
    /// compile time: Darcy's training graph takes 5 s of CPU to JIT and 4 s to interpret.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Dictionary<string, Value>> SmallSettings = new Dictionary<string, Dictionary<string, Value>>(StringComparer.Ordinal)
    {
        // 256x256 would be minutes; 32 is the smallest grid its 6 levels allow (2^5 divides n).
        ["Darcy"] = new() { ["n"] = new IntValue(32) },
        // 64x64 at width 32 keeps 2.4M parameters; 16x16 with 4 modes and width 8 exercises every transform.
        ["FnoDarcy"] = new() { ["n"] = new IntValue(16), ["width"] = new IntValue(8), ["modes"] = new IntValue(4) },
        ["Poisson"] = new() { ["n"] = new IntValue(16) },
        ["PoissonDeep"] = new() { ["n"] = new IntValue(32) },
        ["Vit"] = new() { ["d"] = new IntValue(32) },
        ["Mixer"] = new() { ["d"] = new IntValue(32) },
        ["Macaron"] = new() { ["S"] = new IntValue(8) },
    };

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
