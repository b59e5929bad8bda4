using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Backend.Tests;

/// <summary>
/// The epilogues <see cref="ScalarEpilogueRule"/> judges are the ones the kernels get: each query
/// builds its contraction's epilogue afresh, not from reads cached under another contraction.
/// </summary>
public sealed class ScalarEpilogueRuleTests
{
    private static readonly TensorType Square = TensorType.F32(Shape.Of(8, 8));

    [Fact]
    public void EachQueryReadsTheOtherContractionOfAResidualJoinFromItsBuffer()
    {
        // t = C1·2; y = erf(t + C2): in C2's epilogue t is C1 loaded and doubled, even after C1's
        // query read t as its own accumulator doubled (and C2 as a load), and the other way round.
        var b = new GraphBuilder("g");
        var x = b.Input("x", Square);
        var first = b.Contract(x, b.Parameter("v", Square, new ConstantInit(1)), [0, 1], [1, 2], [0, 2]);
        var second = b.Contract(x, b.Parameter("w", Square, new ConstantInit(1)), [0, 1], [1, 2], [0, 2]);
        var join = b.Binary(BinaryKind.Add, b.Binary(BinaryKind.Mul, first, 2.0), second);
        b.Output("y", b.Unary(UnaryKind.Erf, join));
        var rule = new ScalarEpilogueRule(b.Build(), new HashSet<Node>([first, second], ReferenceEqualityComparer.Instance));

        foreach (var contraction in new[] { first, second, first })
        {
            Assert.Single(ExprWalker.Loads(rule.Epilogue(contraction, join)));
        }
    }
}
