using System.Collections.Immutable;
using System.Globalization;
using ModelC.Compiler.Lowering;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Values;

/// <summary>
/// A value during elaboration: a compile-time number, flag, list or setting; a tensor (a node
/// of the graph being built); or a module (a recipe that builds graph nodes when applied).
/// </summary>
public abstract record Value
{
    /// <summary>The type as messages name it: <c>int</c>, <c>tensor f32[B,10]</c>, <c>block</c>.</summary>
    public abstract string TypeName { get; }

    /// <summary>The value as messages show it.</summary>
    public abstract string Display { get; }
}

/// <summary>A compile-time integer.</summary>
public sealed record IntValue(long Value) : Value
{
    /// <inheritdoc/>
    public override string TypeName => "int";

    /// <inheritdoc/>
    public override string Display => Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A compile-time float.</summary>
public sealed record FloatValue(double Value) : Value
{
    /// <inheritdoc/>
    public override string TypeName => "float";

    /// <inheritdoc/>
    public override string Display => NumberText.Format(Value) is var text && double.IsInteger(Value) && !text.Contains('e') ? text + ".0" : text;
}

/// <summary>A compile-time bool.</summary>
public sealed record BoolValue(bool Value) : Value
{
    /// <inheritdoc/>
    public override string TypeName => "bool";

    /// <inheritdoc/>
    public override string Display => Value ? "true" : "false";
}

/// <summary>A compile-time string (assert messages, names).</summary>
public sealed record StringValue(string Value) : Value
{
    /// <inheritdoc/>
    public override string TypeName => "string";

    /// <inheritdoc/>
    public override string Display => $"\"{Value}\"";
}

/// <summary>A padding mode: <c>zeros</c>, <c>circular</c>, <c>reflect</c> or <c>replicate</c>.</summary>
public sealed record PaddingValue(PaddingMode Mode) : Value
{
    /// <inheritdoc/>
    public override string TypeName => "padding";

    /// <inheritdoc/>
    public override string Display => Mode.ToString().ToLowerInvariant();
}

/// <summary>A compile-time list, e.g. smoothing steps per level <c>[1, 1, 2]</c>.</summary>
public sealed record ListValue(ImmutableArray<Value> Items) : Value
{
    /// <inheritdoc/>
    public override string TypeName =>
        Items.IsEmpty ? "list" : Items.Select(i => i.TypeName).Distinct().Count() == 1 ? Items[0].TypeName + "[]" : "list";

    /// <inheritdoc/>
    public override string Display => $"[{string.Join(", ", Items.Select(i => i.Display))}]";
}

/// <summary>
/// The result of something that already failed and was reported. Every operation on it yields
/// it again silently, so one mistake produces one diagnostic.
/// </summary>
public sealed record ErrorValue : Value
{
    /// <summary>The single instance.</summary>
    public static readonly ErrorValue Instance = new();

    private ErrorValue()
    {
    }

    /// <inheritdoc/>
    public override string TypeName => "error";

    /// <inheritdoc/>
    public override string Display => "<error>";
}
