using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Tests;

/// <summary>
/// How map kernels reduce: a sum over the contiguous axis in <see cref="ExprEmitter.SumLanes"/>
/// partial sums combined pairwise, a maximum over it in lanes with the plain loop's bits, a sum over a leading axis in the plain order (accumulated
/// along the output's contiguous axis), a row sum computed in the kernel that divides by it, and a
/// short parallel loop split into chunks — each with
/// its bits pinned, and the same bits for 1 and 2 threads.
/// </summary>
public sealed class ReductionKernelTests
{
    [Theory]
    [InlineData(7)]
    [InlineData(32)]
    [InlineData(1000)]
    public void AContiguousSumAddsInLanesThenPairwiseThenTheRest(int length)
    {
        var (graph, inputs) = Sum([3, length], 1, "contiguous");
        var run = CompiledRun.Execute(graph, inputs, 1, 2);
        run.AssertClose();
        run.AssertRunsIdentical();
        var x = inputs["x"].Data.ToArray();
        for (var row = 0; row < 3; row++)
        {
            Assert.Equal(LaneSum(x.Skip(row * length).Take(length).Select(v => (float)v).ToArray()), (float)run.Compiled["y"].Data[row]);
        }
    }

    [Fact]
    public void ASumOverTheLeadingAxisAddsInTheOrderOfItsRows()
    {
        var (graph, inputs) = Sum([300, 200], 0, "leading");
        var run = CompiledRun.Execute(graph, inputs, 1, 2);
        run.AssertClose();
        run.AssertRunsIdentical();
        var x = inputs["x"].Data.ToArray();
        for (var column = 0; column < 200; column++)
        {
            var sum = 0f;
            for (var row = 0; row < 300; row++)
            {
                sum += (float)x[row * 200 + column];
            }
            Assert.Equal(sum, (float)run.Compiled["y"].Data[column]);
        }
    }

    [Theory]
    [InlineData(1, 256, 4)]
    [InlineData(15, 64, 15)]
    [InlineData(16, 200, 16)]
    public unsafe void AShortParallelLoopIsSplitIntoChunksOfItsLastAxis(int rows, int columns, long iterations)
    {
        // Sums of 1024 terms, so that a chunk of 64 holds a task's work (MapTaskGrain).
        var (graph, _) = Sum([rows, columns, 1024], 2, "short");
        var compiled = ModelCompiler.Compile(graph, CpuTarget.Host);
        var kernel = Assert.Single(compiled.Manifest.Kernels);
        var extent = (delegate* unmanaged<long*, long>)compiled.Kernels.GetKernel(kernel.Symbol + "_extent");
        long symbol = 0;
        Assert.Equal(iterations, extent(&symbol));
    }

    [Theory]
    [InlineData(3, 7)]
    [InlineData(3, 1000)]
    [InlineData(40, 100)]
    public void ARowSumComputedInItsConsumerAddsInTheOrderOfAStoredSum(int rows, int length)
    {
        // x / Σ_row x: one kernel (the fusion plan moves the sum into the division), whose sum is
        // evaluated once per row in the lanes order of a stored sum.
        var random = new Random(rows + length);
        var shape = Shape.Of(rows, length);
        var inputs = new Dictionary<string, HostTensor> { ["x"] = HostTensor.FromFunction([rows, length], _ => (float)(random.NextDouble() * 4 - 2)) };
        var b = new GraphBuilder("rows");
        var x = b.Input("x", TensorType.F32(shape));
        b.Output("y", b.Binary(BinaryKind.Div, x, b.Add(new BroadcastOp(shape, [0]), b.Reduce(ReduceKind.Sum, x, 1))));
        var graph = b.Build();

        Assert.Single(ModelCompiler.Compile(graph, CpuTarget.Host).Manifest.Kernels);
        var run = CompiledRun.Execute(graph, inputs, 1, 2);
        run.AssertRunsIdentical();
        var values = inputs["x"].Data.ToArray();
        for (var row = 0; row < rows; row++)
        {
            var terms = values.Skip(row * length).Take(length).Select(v => (float)v).ToArray();
            var sum = LaneSum(terms);
            for (var i = 0; i < length; i++)
            {
                Assert.Equal(terms[i] / sum, (float)run.Compiled["y"].Data[row * length + i]);
            }
        }
    }

    /// <summary>
    /// A maximum over the contiguous axis runs in lanes but keeps the plain loop's bits: a row
    /// whose maximum is +0 and −0 in lanes whose tree would pick the later one, a row with a NaN, and
    /// random rows, each as long as some lanes, a whole group, and groups with terms left over.
    /// </summary>
    [Theory]
    [InlineData(31)]
    [InlineData(64)]
    [InlineData(100)]
    public void AContiguousMaximumHasThePlainLoopsBits(int length)
    {
        var random = new Random(length);
        var values = new double[4 * length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i < 2 * length ? -1 : (float)(random.NextDouble() * 4 - 2);
        }
        // Row 0: +0 (term 1), then −0 (term 2), which the lanes' pairwise tree would return.
        values[1] = 0.0;
        values[2] = -0.0;
        values[length + 5] = double.NaN;
        var inputs = new Dictionary<string, HostTensor> { ["x"] = HostTensor.Create([4, length], values) };
        var b = new GraphBuilder("maximum");
        b.Output("y", b.Reduce(ReduceKind.Max, b.Input("x", TensorType.F32(Shape.Of(4, length))), [1]));
        var run = CompiledRun.Execute(b.Build(), inputs, 1, 2);
        run.AssertRunsIdentical();
        for (var row = 0; row < 4; row++)
        {
            var maximum = float.NegativeInfinity;
            foreach (var term in values.Skip(row * length).Take(length).Select(v => (float)v))
            {
                maximum = float.IsNaN(term) ? term : term > maximum ? term : maximum;
            }
            Assert.Equal(BitConverter.SingleToInt32Bits(maximum), BitConverter.SingleToInt32Bits((float)run.Compiled["y"].Data[row]));
        }
    }

    private static (Graph Graph, Dictionary<string, HostTensor> Inputs) Sum(int[] shape, int axis, string name)
    {
        var random = new Random(shape.Sum() + axis);
        var inputs = new Dictionary<string, HostTensor> { ["x"] = HostTensor.FromFunction(shape, _ => (float)(random.NextDouble() * 4 - 2)) };
        var b = new GraphBuilder(name);
        b.Output("y", b.Reduce(ReduceKind.Sum, b.Input("x", TensorType.F32(Shape.Of(shape))), [axis]));
        return (b.Build(), inputs);
    }

    // The order the kernels add in: lane k sums the terms k, k + SumLanes, …; the lanes combine
    // pairwise (lane k with lane k + width, halving the width); then the terms past the last
    // full group follow one by one.
    private static float LaneSum(float[] terms)
    {
        var lanes = new float[ExprEmitter.SumLanes];
        var grouped = terms.Length / lanes.Length * lanes.Length;
        for (var i = 0; i < grouped; i++)
        {
            lanes[i % lanes.Length] += terms[i];
        }
        for (var width = lanes.Length / 2; width >= 1; width /= 2)
        {
            for (var k = 0; k < width; k++)
            {
                lanes[k] += lanes[k + width];
            }
        }
        var sum = 0f + lanes[0];
        for (var i = grouped; i < terms.Length; i++)
        {
            sum += terms[i];
        }
        return sum;
    }
}
