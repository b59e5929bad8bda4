using System.Collections.Immutable;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Values;

namespace ModelC.Compiler.Semantics.Builtins;

/// <summary>
/// A parameter of a built-in. <see cref="Default"/> computes the value when the call omits it
/// (it may read the arguments declared before it); a null result leaves the parameter unset.
/// <see cref="Check"/> returns a complaint about a value that has the right type but is not allowed.
/// </summary>
public sealed record BuiltinParameter(
    string Name,
    ParameterType Type,
    Func<BoundArguments, Value?>? Default = null,
    bool IsVariadic = false,
    Func<Value, string?>? Check = null)
{
    /// <summary>The default as the reference shows it, when it is a constant.</summary>
    public string? DefaultText { get; init; }

    /// <summary>A parameter with a constant default.</summary>
    public static BuiltinParameter WithDefault(string name, ParameterType type, Value value, Func<Value, string?>? check = null) =>
        new(name, type, _ => value, Check: check) { DefaultText = value.Display };

    /// <summary>The parameter as a signature shows it: <c>k: int = 3</c>.</summary>
    public override string ToString() =>
        $"{Name}: {(IsVariadic ? Type with { IsList = false } : Type)}{(IsVariadic ? "..." : "")}{(Default is null ? "" : " = " + (DefaultText ?? "…"))}";
}

/// <summary>A built-in callable: its name, one-line summary and parameters.</summary>
public abstract class Builtin(string name, string summary, ImmutableArray<BuiltinParameter> declared) : ICallable
{
    /// <inheritdoc/>
    public string Name { get; } = name;

    /// <summary>What it does, in one line (shown in the language reference and hints).</summary>
    public string Summary { get; } = summary;

    /// <summary>The parameters with their defaults and checks.</summary>
    public ImmutableArray<BuiltinParameter> Declared { get; } = declared;

    /// <inheritdoc/>
    public abstract string KindName { get; }

    /// <inheritdoc/>
    public ImmutableArray<ParameterSpec> Parameters =>
        [.. Declared.Select(p => new ParameterSpec(p.Name, p.Type, p.Default is not null || p.IsVariadic, p.IsVariadic))];

    /// <summary>The signature as the reference prints it: <c>linear(out: int, bias: bool = …)</c>.</summary>
    public string Signature =>
        Declared.IsEmpty ? Name : $"{Name}({string.Join(", ", Declared.Select(p => p.ToString()))})";
}

/// <summary>Computes a tensor from its inputs by adding nodes to the graph; returns null after reporting an error.</summary>
public delegate TensorValue? LayerApply(LayerContext context, BoundArguments arguments, ImmutableArray<TensorValue> inputs);

/// <summary>
/// A built-in layer: configured by its parameters, then applied to tensors. The apply function
/// checks shapes (reporting diagnostics that show them) and lowers to primitive ops.
/// </summary>
public sealed class LayerBuiltin(
    string name,
    string summary,
    string shapeRule,
    ImmutableArray<BuiltinParameter> declared,
    LayerApply apply,
    int? arity = 1,
    int minimumInputs = 1) : Builtin(name, summary, declared)
{
    /// <inheritdoc/>
    public override string KindName => "layer";

    /// <summary>The shape rule in words, for the reference: <c>(…, in) → (…, out)</c>.</summary>
    public string ShapeRule { get; } = shapeRule;

    /// <summary>The number of tensor inputs, or null for any number from <see cref="MinimumInputs"/> up.</summary>
    public int? Arity { get; } = arity;

    /// <summary>The fewest inputs.</summary>
    public int MinimumInputs { get; } = arity ?? minimumInputs;

    /// <summary>What the layer computes on one number at compile time, if it is a function of one.</summary>
    public NumberForm? OnNumber { get; init; }

    /// <summary>Applies the layer.</summary>
    public TensorValue? Apply(LayerContext context, BoundArguments arguments, ImmutableArray<TensorValue> inputs) =>
        apply(context, arguments, inputs);
}

/// <summary><c>clone(n)</c> and <c>group(n, dim)</c>: the heads of a <c>branch</c>.</summary>
public sealed class SplitterBuiltin(string name, string summary, ImmutableArray<BuiltinParameter> declared, Func<BoundArguments, SplitterValue> make)
    : Builtin(name, summary, declared)
{
    /// <inheritdoc/>
    public override string KindName => "splitter";

    /// <summary>The splitter for these arguments.</summary>
    public SplitterValue Make(BoundArguments arguments) => make(arguments);
}

/// <summary>A function evaluated at compile time, such as <c>len</c> or <c>repeat</c>.</summary>
public sealed class FunctionBuiltin(
    string name,
    string summary,
    ImmutableArray<BuiltinParameter> declared,
    Func<FunctionContext, BoundArguments, Value> invoke) : Builtin(name, summary, declared)
{
    /// <inheritdoc/>
    public override string KindName => "function";

    /// <summary>Evaluates the function.</summary>
    public Value Invoke(FunctionContext context, BoundArguments arguments) => invoke(context, arguments);
}

/// <summary>An optimizer or a learning-rate schedule: a named set of settings.</summary>
public sealed class ConfigBuiltin(string name, string summary, ConfigKind kind, ImmutableArray<BuiltinParameter> declared)
    : Builtin(name, summary, declared)
{
    /// <inheritdoc/>
    public override string KindName => Kind.ToString().ToLowerInvariant();

    /// <summary>Optimizer or schedule.</summary>
    public ConfigKind Kind { get; } = kind;
}
