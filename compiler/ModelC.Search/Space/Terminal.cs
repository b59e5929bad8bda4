using System.Collections.Immutable;

namespace ModelC.Search.Space;

/// <summary>Where a terminal can stand in the grammar.</summary>
public enum TerminalKind
{
    /// <summary>A computation module C: a layer applied to one tensor.</summary>
    Computation,

    /// <summary>A branching function B: one tensor in, several out (<c>clone</c>, <c>group</c>).</summary>
    Splitter,

    /// <summary>An aggregation function A: several tensors in, one out (<c>add</c>, <c>concat</c>, <c>matmul</c>).</summary>
    Merge,

    /// <summary>A pre-routing function P: the <c>pre</c> of a <c>route</c>.</summary>
    PreRoute,

    /// <summary>A post-routing function R: the <c>post</c> of a <c>route</c>.</summary>
    PostRoute,
}

/// <summary>What a terminal makes of its input shapes, and what it costs.</summary>
/// <param name="Outputs">The output shapes: several for a splitter, one otherwise.</param>
/// <param name="Parameters">Trainable parameters it adds.</param>
/// <param name="Macs">Multiply-accumulates per sample of its forward pass.</param>
public sealed record TerminalResult(ImmutableArray<FeatureShape> Outputs, long Parameters = 0, long Macs = 0)
{
    /// <summary>One output shape.</summary>
    public static TerminalResult Of(FeatureShape output, long parameters = 0, long macs = 0) => new([output], parameters, macs);
}

/// <summary>
/// A terminal's shape rule: the output shapes for the given inputs (one input, except for a
/// merge), or null where the built-in would reject them. The sampler offers a terminal only
/// where its rule holds, so each rule must agree with the compiler's check of the built-in.
/// </summary>
public delegate TerminalResult? ShapeRule(IReadOnlyList<FeatureShape> inputs);

/// <summary>
/// A terminal of the grammar: a built-in with fixed arguments (<c>linear(64)</c>,
/// <c>im2col(3, 1, 1)</c>, <c>concat(2)</c>), where it stands, and its shape rule.
/// </summary>
/// <param name="Kind">Where it stands.</param>
/// <param name="Name">The built-in it calls.</param>
/// <param name="Arguments">Its arguments; none is written as a bare name.</param>
/// <param name="Rule">Its shape rule.</param>
public sealed record Terminal(TerminalKind Kind, string Name, ImmutableArray<long> Arguments, ShapeRule Rule)
{
    /// <summary>The terminal as source: <c>linear(64)</c>, <c>norm</c>.</summary>
    public override string ToString() => Arguments.IsEmpty ? Name : $"{Name}({string.Join(", ", Arguments)})";

    /// <summary>Applies the rule to one input.</summary>
    public TerminalResult? Apply(FeatureShape input) => Rule([input]);
}
