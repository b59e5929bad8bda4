using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Backend.Scheduling;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime.Execution;

namespace ModelC.Backend.Tests;

/// <summary>
/// A train step's guard, <c>Σ(x·0) + … == 0</c>, on the CPU: whole buffers are tested by the
/// shared routine (<see cref="FiniteCheck"/>), also through a reshape that merges axes, a term read
/// transposed by its own loop, and the result is false exactly when one element anywhere (first,
/// inside, last: the routine's vector body and its tail) is infinite or NaN, against a plain scan
/// of the values.
/// </summary>
public sealed class FiniteCheckTests
{
    // Whole buffers of odd, vector-sized and four-axis shapes, a scalar, a convolution weight read
    // through a reshape that merges its last three axes (in its own order: the routine's), and a
    // matrix read transposed (not in its own order: emitted as its reduction loops).
    private static readonly (string Name, int[] Shape)[] Inputs =
        [("odd", [37]), ("matrix", [5, 70]), ("four", [2, 3, 4, 5]), ("scalar", []), ("weight", [4, 3, 3, 3]), ("transposed", [6, 9])];

    [Fact]
    public void TheCheckCallsTheRoutineOncePerWholeBufferInOneKernel()
    {
        var kernel = Assert.Single(ProgramBuilder.Build(Check()).Kernels);
        Assert.Equal([FiniteCheckRoutine.Instance], CpuTarget.Host.SupportOf(kernel));
    }

    [Fact]
    public void AWeightReadThroughAMergingReshapeIsTestedByTheRoutine()
    {
        var kernel = Assert.Single(ProgramBuilder.Build(Check(["weight"])).Kernels);
        Assert.Equal([FiniteCheckRoutine.Instance], CpuTarget.Host.SupportOf(kernel));
    }

    [Fact]
    public void ATransposedReadKeepsItsLoops()
    {
        var kernel = Assert.Single(ProgramBuilder.Build(Check(["transposed"])).Kernels);
        Assert.Empty(CpuTarget.Host.SupportOf(kernel));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(float.MaxValue)]
    [InlineData(-0f)]
    [InlineData(float.Epsilon)]
    public void OneValueAnywhereDecidesTheCheckAsAPlainScanDoes(float special)
    {
        var compiled = ModelCompiler.Compile(Check(), CpuTarget.Host);
        using var kernels = compiled.Kernels;
        using var instance = new ModelInstance(compiled.Manifest, kernels, new Dictionary<string, int>(), new ModelOptions(1));
        foreach (var (name, shape) in Inputs)
        {
            var count = shape.Aggregate(1, (p, d) => p * d);
            foreach (var position in new[] { 0, count / 2, count - 1 }.Distinct())
            {
                var random = new Random(3);
                foreach (var (other, _) in Inputs)
                {
                    foreach (ref var v in instance.Floats(other))
                    {
                        v = (random.NextSingle() - 0.5f) * 1e30f;
                    }
                }
                instance.Floats(name)[position] = special;

                instance.Run();

                Assert.True(instance.Bytes("finite")[0] == (float.IsFinite(special) ? 1 : 0), $"{special} at {name}[{position}]");
            }
        }
    }

    // The check over the inputs named (all of them by default).
    private static Graph Check(string[]? only = null)
    {
        var b = new GraphBuilder("Check");
        Node? total = null;
        foreach (var (name, shape) in Inputs.Where(i => only is null || only.Contains(i.Name)))
        {
            var x = b.Input(name, TensorType.F32(Shape.Of(shape)));
            var read = name switch
            {
                "transposed" => b.Permute(x, 1, 0),
                "weight" => b.Reshape(x, Shape.Of(shape[0], shape[1] * shape[2] * shape[3])),
                _ => x,
            };
            var zeros = b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Mul, read, 0.0), [.. Enumerable.Range(0, read.Type.Shape.Rank)]);
            total = total is null ? zeros : b.Binary(BinaryKind.Add, total, zeros);
        }
        b.Output("finite", b.Compare(CompareKind.Eq, total!, b.Constant(0, TensorType.ScalarF32)));
        return b.Build();
    }
}
