using ModelC.Backend.Cpu;
using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Compiler.IR;
using ModelC.Compiler.Autodiff;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.Lowering;
using ModelC.Runtime;

namespace ModelC.Backend.Tests;

/// <summary>
/// Pools whose interior reads the last axis at a stride run as explicit vectors of output columns
/// (<see cref="StridedRowVectors"/>): whole vectors, then one masked to the columns left. Widths
/// are picked so that the interior leaves a partial last vector (or is only one) at 16, 8 and 4
/// lanes (host AVX-512, haswell, x86-64), with the pad read on both sides.
/// </summary>
public sealed class StridedPoolTests
{
    private static readonly string[] Targets = ["host", "haswell", "x86-64"];

    /// <summary>(kernel, stride, pad, width, max) of each pool.</summary>
    private static readonly (int Kernel, int Stride, int Pad, int Width, bool Max)[] Pools =
    [
        (3, 2, 1, 37, true),  // interior of 17 columns
        (3, 2, 1, 23, true),  // 10: below one AVX-512 vector
        (3, 2, 1, 37, false), // the average: a sum over the window, then a product
        (2, 2, 1, 36, true),  // a 2-wide window, 17
        (3, 3, 1, 40, true),  // stride 3: three loads per vector, 12
        (3, 3, 1, 101, true), // 32: two whole AVX-512 vectors
        (2, 2, 0, 37, true),  // no pad: the whole row of 18, its input's last column unread
        (3, 2, 0, 37, false), // no pad, the average: 18
    ];

    /// <summary>Every pool on every target.</summary>
    public static TheoryData<int, string> PoolsAndTargets()
    {
        var data = new TheoryData<int, string>();
        for (var pool = 0; pool < Pools.Length; pool++)
        {
            foreach (var target in Targets)
            {
                data.Add(pool, target);
            }
        }
        return data;
    }

    /// <summary>The pool's interior runs as explicit vectors and matches the interpreter, with the same bits on 1 and 2 threads.</summary>
    [Theory]
    [MemberData(nameof(PoolsAndTargets))]
    public void AStridedPoolMatchesTheInterpreter(int pool, string target)
    {
        var (kernel, stride, pad, width, max) = Pools[pool];
        var (graph, inputs) = Pool([2, 3, 5, width], kernel, stride, pad, max, random => random.NextDouble() * 4 - 2);
        Assert.True(TakesStridedVectors(graph));
        var run = CompiledRun.Execute(graph, inputs, Target(target), 1, 2);
        run.AssertClose();
        run.AssertRunsIdentical();
    }

    /// <summary>
    /// A 3×3 stride-2 max-pool over NaNs, +0 and −0 keeps the scalar loop's bits: the first NaN of
    /// the window, and of tied zeros the first.
    /// </summary>
    [Theory]
    [InlineData("host")]
    [InlineData("haswell")]
    [InlineData("x86-64")]
    public void AStridedMaximumKeepsThePlainLoopsBits(string target)
    {
        // Mostly +0 and −0, so that most windows' maximum is a tie of zeros; a NaN in about 1 of 6.
        static double Value(Random random) => random.Next(50) switch
        {
            0 => double.NaN,
            < 5 => -1,
            var n => n % 2 == 0 ? 0.0 : -0.0,
        };
        int[] shape = [1, 2, 6, 41];
        var (graph, inputs) = Pool(shape, 3, 2, 1, max: true, Value);
        var run = CompiledRun.Execute(graph, inputs, Target(target), 1);
        var input = inputs["x0"].Data;
        var output = run.Compiled.Single().Value.Data;
        var (height, width) = (shape[2], shape[3]);
        var (rows, columns) = ((height - 1) / 2 + 1, (width - 1) / 2 + 1);
        for (var i = 0; i < output.Length; i++)
        {
            var (plane, row, column) = (i / (rows * columns), i / columns % rows, i % columns);
            var maximum = float.NegativeInfinity;
            for (var ki = 0; ki < 3; ki++)
            {
                for (var kj = 0; kj < 3; kj++)
                {
                    var (r, c) = (2 * row + ki - 1, 2 * column + kj - 1);
                    var term = r < 0 || r >= height || c < 0 || c >= width ? float.NegativeInfinity : (float)input[(plane * height + r) * width + c];
                    maximum = float.IsNaN(term) ? term : term > maximum ? term : maximum;
                }
            }
            Assert.True(BitConverter.SingleToInt32Bits(maximum) == BitConverter.SingleToInt32Bits((float)output[i]), $"element {i}: {maximum} expected, {(float)output[i]} computed");
        }
    }

    /// <summary>
    /// Whole vectors read only the elements their columns need: the input (a multiple of 64
    /// bytes) ends where an inaccessible page begins (<see cref="GuardPagedCpu"/>), and the last
    /// whole vector of its 32 strided columns reads up to the last element, whose next would
    /// fault: a 3×3 stride-2 pool's interior of [1, 2, 4, 66] padded by 1, its whole rows of [1, 4, 4, 65] unpadded.
    /// </summary>
    [Theory]
    [InlineData("host", 1)]
    [InlineData("haswell", 1)]
    [InlineData("x86-64", 1)]
    [InlineData("host", 0)]
    [InlineData("haswell", 0)]
    [InlineData("x86-64", 0)]
    public void StridedVectorsReadNothingPastTheInput(string target, int pad)
    {
        var (graph, inputs) = Pool(pad == 1 ? [1, 2, 4, 66] : [1, 4, 4, 65], 3, 2, pad, max: true, random => random.NextDouble() * 4 - 2);
        Assert.True(TakesStridedVectors(graph));
        CompiledRun.Execute(graph, graph, inputs, Target(target), new GuardPagedCpu()).AssertClose();
    }

    /// <summary>
    /// A 3×3 stride-2 max-pool's gradient over halves (ties in most windows): its tie mask, the
    /// input equal to its window's maximum as 0 or 1 (read at a stride from the padded input),
    /// runs as explicit vectors, and the gradient matches the interpreter's.
    /// </summary>
    [Theory]
    [InlineData("host")]
    [InlineData("haswell")]
    [InlineData("x86-64")]
    public void AStridedMaxPoolsGradientMatchesTheInterpreter(string target)
    {
        var b = new SweepCaseBuilder("max_pool_gradient");
        var y = Convolution.Pool2d(b.Graph, b.Halves([2, 3, 6, 37]), 3, 2, 1, max: true);
        b.Graph.Loss(b.Graph.Reduce(ReduceKind.Sum, b.Graph.Binary(BinaryKind.Mul, y, b.Floats([2, 3, 3, 19])), [0, 1, 2, 3]));
        var sweep = b.Build(y);
        var gradient = ReverseMode.Differentiate(sweep.Graph, [.. sweep.Graph.Nodes.Where(node => node.Op is InputOp { Name: "x0" })]);
        Assert.Contains(ProgramBuilder.Build(gradient).Kernels.OfType<MapKernel>(), kernel =>
            Walk(kernel.Body).Any(e => e is Compare { Left.Type: ScalarType.F32 }) && StridedRowVectors.Applies(kernel.Body, kernel.Loops[^1].Var));
        var run = CompiledRun.Execute(gradient, sweep.Inputs, Target(target), 1, 2);
        run.AssertClose();
        run.AssertRunsIdentical();
    }

    private static (Graph Graph, IReadOnlyDictionary<string, HostTensor> Inputs) Pool(int[] shape, int kernel, int stride, int pad, bool max, Func<Random, double> value)
    {
        var b = new SweepCaseBuilder($"pool_{kernel}_{stride}_{pad}_{shape[3]}_{max}");
        var sweep = b.Build(Convolution.Pool2d(b.Graph, b.Input(ElementType.F32, shape, value), kernel, stride, pad, max));
        return (sweep.Graph, sweep.Inputs);
    }

    // Whether the pool's map kernel (an average's sum, before its product) runs its interior, or
    // without a pad its whole row, as StridedRowVectors.
    private static bool TakesStridedVectors(Graph graph)
    {
        var kernel = Assert.Single(ProgramBuilder.Build(graph).Kernels.OfType<MapKernel>(), map => ExprWalker.ContainsReduce(map.Body));
        var column = kernel.Loops[^1].Var;
        var body = InteriorRange.Of(kernel.Body, column) is { } interior ? LoopSpecialization.Specialize(kernel.Body, column, interior.Low, interior.High) : kernel.Body;
        return StridedRowVectors.Applies(body, column);
    }

    private static IEnumerable<Expr> Walk(Expr expr) => [expr, .. ExprWalker.Children(expr).SelectMany(Walk)];

    private static CpuTarget Target(string target) => target == "host" ? CpuTarget.Host : new CpuTarget(Cpu: target);
}
