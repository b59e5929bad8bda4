namespace ModelC.Compiler.IR.Ops;

/// <summary>
/// How an op's result elements depend on its inputs' elements, ordered from the easiest to fuse
/// to the hardest (after TVM's <c>OpPatternKind</c>). A fusion planner reads this, not the op's
/// type: an op fuses into its consumers up to <see cref="Injective"/>, is computed by its own
/// kernel from <see cref="Reduction"/> on, and a contraction can take elementwise consumers into
/// its kernel (<see cref="OutputFusable"/>).
/// </summary>
public enum FusionPattern
{
    /// <summary>
    /// Each result element is a function of the input elements at the same index; leaves that
    /// generate their elements (constants, iotas, symbolic sizes) are here too.
    /// </summary>
    Elementwise,

    /// <summary>Elementwise after repeating the input along new or size-1 axes.</summary>
    Broadcast,

    /// <summary>
    /// Each result element is one input element (or a fill value) at a computed index: reshapes,
    /// permutes, slices, pads, concatenations, reversals, window unfolds, gathers.
    /// </summary>
    Injective,

    /// <summary>Each result element combines many input elements (sums, maxima, folds, scatters): computing it twice repeats the whole sum.</summary>
    Reduction,

    /// <summary>A contraction: a reduction whose result can be finished by elementwise ops inside its own kernel (an epilogue).</summary>
    OutputFusable,

    /// <summary>Nothing fuses into or out of it: leaves whose elements live in memory (inputs, parameters, states).</summary>
    Opaque,
}
