namespace ModelC.Compiler.IR.Ops;

/// <summary>
/// Facts about the elementwise function kinds that the fusion planner and every code generator
/// share, kept here once so that they cannot drift apart.
/// </summary>
public static class ElementwiseFunctions
{
    /// <summary>
    /// Whether <paramref name="kind"/> is transcendental (exp, log, tanh, erf, sin, cos): evaluated
    /// by a polynomial approximation or a library call, tens of instructions per element, fast
    /// only where the loop around it is vectorised.
    /// </summary>
    /// <param name="kind">The function.</param>
    public static bool IsTranscendental(this UnaryKind kind) =>
        kind is UnaryKind.Exp or UnaryKind.Log or UnaryKind.Tanh or UnaryKind.Erf or UnaryKind.Sin or UnaryKind.Cos;

    /// <summary>Whether <paramref name="kind"/> is transcendental: aᵇ (a library call, except where a code generator sees a constant exponent 2).</summary>
    /// <param name="kind">The function.</param>
    public static bool IsTranscendental(this BinaryKind kind) => kind is BinaryKind.Pow;

    /// <summary>
    /// Whether <paramref name="kind"/> is defined on i32 (−x, |x|, sign): the kinds every code
    /// generator implements on integers, listed so that a new kind is refused on them by default.
    /// </summary>
    /// <param name="kind">The function.</param>
    public static bool IsDefinedOnIntegers(this UnaryKind kind) => kind is UnaryKind.Neg or UnaryKind.Abs or UnaryKind.Sign;

    /// <summary>Whether <paramref name="kind"/> is defined on floats only: the transcendental functions, √x and 1/x.</summary>
    /// <param name="kind">The function.</param>
    public static bool IsFloatOnly(this UnaryKind kind) => kind.IsTranscendental() || kind is UnaryKind.Sqrt or UnaryKind.Reciprocal;
}
