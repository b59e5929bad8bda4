using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Compiler.Tests.IRTests;

/// <summary>
/// Which unary functions take i32: −x, |x| and sign, the ones every code generator implements on
/// integers. Any other kind, a new one included, is a type error (a diagnostic), never a kind
/// that reaches a code generator without an integer form.
/// </summary>
public sealed class UnaryTypeTests
{
    private static readonly TensorType Ints = new(ElementType.I32, Shape.Of(3));

    public static TheoryData<UnaryKind> Kinds() => [.. Enum.GetValues<UnaryKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void OnlyTheIntegerFunctionsTakeI32(UnaryKind kind)
    {
        var op = new UnaryOp(kind);

        if (kind is UnaryKind.Neg or UnaryKind.Abs or UnaryKind.Sign)
        {
            Assert.Equal(Ints, op.InferType([Ints]));
        }
        else
        {
            Assert.Contains("not defined for", Assert.Throws<IrTypeException>(() => op.InferType([Ints])).Message, StringComparison.Ordinal);
        }
    }
}
