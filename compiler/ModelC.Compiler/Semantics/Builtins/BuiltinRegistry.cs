using System.Collections.Frozen;
using System.Collections.Immutable;
using ModelC.Compiler.Lowering;
using ModelC.Compiler.Semantics.Builtins.Layers;
using ModelC.Compiler.Semantics.Values;

namespace ModelC.Compiler.Semantics.Builtins;

/// <summary>
/// Every built-in, visible in every file unless a declaration of the same name hides it:
/// layers, splitters, compile-time functions, optimizers and schedules, and the padding modes.
/// </summary>
public static class BuiltinRegistry
{
    /// <summary>The built-ins grouped as the reference lists them.</summary>
    public static ImmutableArray<BuiltinGroup> Groups { get; } =
    [
        new("Computation layers", LinearLayers.All),
        new("Activations", ActivationLayers.All),
        new("Elementwise math", MathLayers.All),
        new("Masks", MaskLayers.All),
        new("Fourier transforms", FourierLayers.All),
        new("Normalization", NormalizationLayers.All),
        new("Dropout", DropoutLayers.All),
        new("Convolution and images", ConvolutionLayers.All),
        new("Shape", ShapeLayers.All),
        new("Merges (aggregation)", MergeLayers.All),
        new("Losses", LossLayers.All),
        new("Branch splitters", SplitterBuiltins.All),
        new("Compile-time functions", FunctionBuiltins.All),
        new("Optimizers and schedules", ConfigBuiltins.All),
        new("Initialisers", Initializers.All),
    ];

    /// <summary>The named constants: the padding modes.</summary>
    public static FrozenDictionary<string, Value> Constants { get; } = new Dictionary<string, Value>
    {
        ["zeros"] = new PaddingValue(PaddingMode.Zeros),
        ["circular"] = new PaddingValue(PaddingMode.Circular),
        ["reflect"] = new PaddingValue(PaddingMode.Reflect),
        ["replicate"] = new PaddingValue(PaddingMode.Replicate),
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, Builtin> ByName =
        Groups.SelectMany(g => g.Members).ToFrozenDictionary(b => b.Name);

    /// <summary>All built-in names, callables and constants.</summary>
    public static IEnumerable<string> Names => ByName.Keys.Concat(Constants.Keys);

    /// <summary>A built-in callable by name.</summary>
    public static Builtin? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>A built-in callable (<see cref="Builtin"/>) or constant (<see cref="Value"/>) by name, or null.</summary>
    public static object? TryGet(string name) => (object?)Find(name) ?? Constants.GetValueOrDefault(name);
}
