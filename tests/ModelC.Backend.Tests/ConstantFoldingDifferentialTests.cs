using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.Passes;
using ModelC.Runtime;

namespace ModelC.Backend.Tests;

/// <summary>
/// Constant folding gives the compiled kernels' bits: every op the simplifier folds is compiled
/// once over vectors of awkward float32 values (signed zeros, infinities, NaN, subnormals, values
/// that round or saturate), and each element is compared with the fold of the same operands as
/// constants. NaN matches any NaN; everything else bit for bit.
/// </summary>
public sealed class ConstantFoldingDifferentialTests
{
    private static readonly double[] Values = [0, -0.0, 1, -2.5, 0.1, 3, -2.7, 3e9, 3e38, 1e-45, double.NaN, double.PositiveInfinity, double.NegativeInfinity];

    private static readonly Op[] Unary = [.. new[] { UnaryKind.Neg, UnaryKind.Abs, UnaryKind.Sqrt, UnaryKind.Reciprocal, UnaryKind.Sign }.Select(k => (Op)new UnaryOp(k))];

    private static readonly Op[] Binary =
    [
        .. Enum.GetValues<BinaryKind>().Where(k => k != BinaryKind.Pow).Select(k => (Op)new BinaryOp(k)),
        .. Enum.GetValues<CompareKind>().Select(k => (Op)new CompareOp(k)),
    ];

    private static readonly Op[] Casts = [new CastOp(ElementType.I32), new CastOp(ElementType.Bool)];

    [Fact]
    public void FoldedConstantsAreTheCompiledResults()
    {
        var pairs = Values.SelectMany(a => Values.Select(b => (a, b))).ToArray();
        var b = new GraphBuilder("folding");
        var x = b.Input("x", TensorType.F32(Shape.Of(Values.Length)));
        var left = b.Input("left", TensorType.F32(Shape.Of(pairs.Length)));
        var right = b.Input("right", TensorType.F32(Shape.Of(pairs.Length)));
        var integers = b.Input("integers", new TensorType(ElementType.I32, Shape.Of(3)));
        var cases = new List<(string Name, Op Op, double[][] Operands, ElementType[] Types)>();
        foreach (var op in Unary.Concat(Casts))
        {
            b.Output(Name(op), b.Add(op, x));
            cases.Add((Name(op), op, [Values], [ElementType.F32]));
        }
        foreach (var op in Binary)
        {
            b.Output(Name(op), b.Add(op, left, right));
            cases.Add((Name(op), op, [[.. pairs.Select(p => p.a)], [.. pairs.Select(p => p.b)]], [ElementType.F32, ElementType.F32]));
        }
        double[] ints = [16777217, -7, 0];
        b.Output("cast_i32_f32", b.Add(new CastOp(ElementType.F32), integers));
        cases.Add(("cast_i32_f32", new CastOp(ElementType.F32), [ints], [ElementType.I32]));

        var inputs = new Dictionary<string, HostTensor>
        {
            ["x"] = HostTensor.Vector(Values),
            ["left"] = HostTensor.Vector([.. pairs.Select(p => p.a)]),
            ["right"] = HostTensor.Vector([.. pairs.Select(p => p.b)]),
            ["integers"] = HostTensor.Vector(ints),
        };
        var compiled = CompiledRun.Execute(b.Build(), inputs).Compiled;

        var mismatches = new List<string>();
        foreach (var (name, op, operands, types) in cases)
        {
            for (var i = 0; i < operands[0].Length; i++)
            {
                var folded = Fold(op, [.. operands.Select(o => o[i])], types);
                var actual = compiled[name].Data[i];
                // Both are exact as doubles: float32 results widened, i32 results as integers.
                if (!(double.IsNaN(folded) && double.IsNaN(actual)) && BitConverter.DoubleToInt64Bits(folded) != BitConverter.DoubleToInt64Bits(actual))
                {
                    mismatches.Add($"{name}({string.Join(", ", operands.Select(o => o[i]))}): folded {folded}, compiled {actual}");
                }
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    // The simplifier's value for op of constant operands.
    private static double Fold(Op op, double[] operands, ElementType[] types)
    {
        var b = new GraphBuilder("fold");
        b.Output("y", b.Add(op, [.. operands.Select((v, i) => b.Constant(v, new TensorType(types[i], Shape.Scalar)))]));
        var graph = GraphPipeline.Run(b.Build(), [new AlgebraicSimplification(), new DeadCodeElimination()]).Graph;
        return Assert.IsType<ConstantOp>(Assert.Single(graph.Nodes).Op).Value;
    }

    private static string Name(Op op) => op switch
    {
        CastOp cast => "cast_f32_" + cast.To.Name(),
        _ => op.Mnemonic,
    };
}
