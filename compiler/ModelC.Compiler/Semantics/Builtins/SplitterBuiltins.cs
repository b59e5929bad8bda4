using System.Collections.Immutable;
using ModelC.Compiler.Semantics.Values;
using static ModelC.Compiler.Semantics.Builtins.Params;

namespace ModelC.Compiler.Semantics.Builtins;

/// <summary>The heads of <c>branch</c>: how one tensor becomes several.</summary>
internal static class SplitterBuiltins
{
    public static ImmutableArray<Builtin> All { get; } =
    [
        new SplitterBuiltin("clone", "n copies of the input, one per branch.", [Int("n", Checks.Positive)],
            a => new SplitterValue(SplitterKind.Clone, a.Int("n"), 0)),
        new SplitterBuiltin("group", "n equal slices of the input along a dimension (which n must divide), one per branch.",
            [Int("n", Checks.Positive), Int("dim", -1)], a => new SplitterValue(SplitterKind.Group, a.Int("n"), a.Int("dim"))),
    ];
}
