using System.Collections.Immutable;
using System.Globalization;
using ModelC.Runtime;

namespace ModelC.Compiler.IR.Ops;

/// <summary>
/// A primitive tensor operation. Every model lowers to this small set, so autodiff, fusion and
/// the backends each need one rule per op. An op knows how to type its result from its inputs;
/// the attributes it carries are typed fields, never strings.
/// </summary>
public abstract record Op
{
    /// <summary>The printed name of the op, e.g. <c>contract</c>.</summary>
    public abstract string Mnemonic { get; }

    /// <summary>Where the op sits on the fusion lattice: what a fusion planner may inline it into.</summary>
    public abstract FusionPattern FusionPattern { get; }

    /// <summary>
    /// Whether computing the whole result reads elements of input <paramref name="index"/> more
    /// than once (a broadcast that repeats, an unfold whose windows overlap, a contraction
    /// operand): inlining a computed producer there would recompute it many times.
    /// </summary>
    /// <param name="index">The input asked about.</param>
    /// <param name="inputs">The types of all inputs.</param>
    /// <param name="result">The type of the result.</param>
    public virtual bool ReadsInputRepeatedly(int index, IReadOnlyList<TensorType> inputs, TensorType result) => false;

    /// <summary>
    /// Whether reading one element of this view chooses between sources at run time (a pad's
    /// bounds test, a concatenation's parts): cheap when read once, but every read through an
    /// expanding consumer (an unfold, a GEMM operand) pays the compares and selects again, so
    /// the fusion planner stores such a view when it is read repeatedly.
    /// </summary>
    public virtual bool SelectsPerElement => false;

    /// <summary>The attributes as printed between brackets after the mnemonic; empty for none.</summary>
    public virtual string FormatAttributes() => "";

    /// <summary>The result type for these input types; throws <see cref="IrTypeException"/> if invalid.</summary>
    public abstract TensorType InferType(IReadOnlyList<TensorType> inputs);

    /// <summary>Throws unless exactly <paramref name="count"/> inputs were given.</summary>
    protected void ExpectArity(IReadOnlyList<TensorType> inputs, int count)
    {
        if (inputs.Count != count)
        {
            Fail($"takes {count} input(s), got {inputs.Count}");
        }
    }

    /// <summary>Throws unless the input's element type is float.</summary>
    protected void ExpectFloat(TensorType type)
    {
        if (type.ElementType != ElementType.F32)
        {
            Fail($"needs f32 input, got {type}");
        }
    }

    /// <summary>Throws unless the axis is within the rank and names a fixed dimension.</summary>
    protected void ExpectFixedAxis(Shape shape, int axis)
    {
        if (axis < 0 || axis >= shape.Rank)
        {
            Fail($"axis {axis} out of range for {shape}");
        }
        if (!shape[axis].IsFixed)
        {
            Fail($"axis {axis} of {shape} is symbolic");
        }
    }

    /// <summary>Raises a typing error naming this op.</summary>
    protected Exception Fail(string message) => throw new IrTypeException($"{Mnemonic}: {message}");

    /// <summary>Formats a list of ints as <c>0,2,1</c>.</summary>
    protected static string Ints(IEnumerable<int> values) =>
        string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Checks that the axes are distinct and within the rank, and returns them sorted.</summary>
    protected ImmutableArray<int> CheckAxes(ImmutableArray<int> axes, int rank)
    {
        if (axes.Any(a => a < 0 || a >= rank) || axes.Distinct().Count() != axes.Length)
        {
            Fail($"axes [{Ints(axes)}] invalid for rank {rank}");
        }
        return [.. axes.Order()];
    }
}
