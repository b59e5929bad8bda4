using ModelC.Backend.Cpu;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Backend.Tests;

/// <summary>
/// The compiled exp and tanh against double precision over a dense sweep of the whole f32 range
/// (every 4099th bit pattern: both signs, subnormals, every exponent) plus the special values,
/// for the host and for an AVX2 CPU (the two vector widths): the largest error in units in the
/// last place stays within the bound each function's comment promises, special values follow
/// IEEE, and 1 and 2 threads give the same bits.
/// </summary>
public sealed class MathFunctionAccuracyTests
{
    private const int BitStride = 4099;

    /// <summary>Host (AVX-512 here) and AVX2.</summary>
    public static TheoryData<string?> Cpus() => [null, "x86-64-v3"];

    /// <summary>
    /// tanh is within 2 ulp everywhere; ±0, ±∞ and
    /// NaN come out as IEEE says, the smallest subnormal maps to itself and ±9 to ±1 or its neighbour.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cpus))]
    public void TanhIsWithinTwoUlp(string? cpu)
    {
        var (inputs, outputs) = Run(UnaryKind.Tanh, cpu);
        var (worst, at) = UlpError.Worst(inputs, outputs, Math.Tanh);
        Assert.True(worst <= 2, $"tanh is off by {worst:F2} ulp at {at:R}");
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(At(inputs, outputs, -0f)));
        Assert.Equal(BitConverter.SingleToInt32Bits(0f), BitConverter.SingleToInt32Bits(At(inputs, outputs, 0f)));
        Assert.Equal(1f, At(inputs, outputs, float.PositiveInfinity));
        Assert.Equal(-1f, At(inputs, outputs, float.NegativeInfinity));
        Assert.Equal(1f, At(inputs, outputs, 9.5f));
        Assert.InRange(At(inputs, outputs, 9f), MathF.BitDecrement(1f), 1f);
        Assert.InRange(At(inputs, outputs, -9f), -1f, MathF.BitIncrement(-1f));
        Assert.Equal(-1f, At(inputs, outputs, float.MinValue));
        Assert.Equal(float.Epsilon, At(inputs, outputs, float.Epsilon));
        Assert.Equal(-float.Epsilon, At(inputs, outputs, -float.Epsilon));
        Assert.True(float.IsNaN(At(inputs, outputs, float.NaN)));
    }

    /// <summary>exp is within 3 ulp (subnormal steps where the result is subnormal); ±∞ and NaN come out as IEEE says.</summary>
    [Theory]
    [MemberData(nameof(Cpus))]
    public void ExpIsWithinThreeUlp(string? cpu)
    {
        var (inputs, outputs) = Run(UnaryKind.Exp, cpu);
        var (worst, at) = UlpError.Worst(inputs, outputs, Math.Exp);
        Assert.True(worst <= 3, $"exp is off by {worst:F2} ulp at {at:R}");
        Assert.Equal(0f, At(inputs, outputs, float.NegativeInfinity));
        Assert.Equal(float.PositiveInfinity, At(inputs, outputs, float.PositiveInfinity));
        Assert.Equal(float.PositiveInfinity, At(inputs, outputs, 89f));
        Assert.Equal(1f, At(inputs, outputs, -0f));
        Assert.True(float.IsNaN(At(inputs, outputs, float.NaN)));
    }

    // The sweep and the special values, compiled for cpu (the host when null) and run on 1 and 2 threads.
    private static (float[] Inputs, float[] Outputs) Run(UnaryKind kind, string? cpu)
    {
        float[] specials = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 89f, 9.5f, 9f, -9f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue];
        var sweep = Enumerable.Range(0, (int)((1L << 32) / BitStride)).Select(i => BitConverter.Int32BitsToSingle(unchecked((int)((uint)i * BitStride))));
        var inputs = specials.Concat(sweep).ToArray();
        var graph = new GraphBuilder("math");
        var x = graph.Input("x", new TensorType(ElementType.F32, Shape.Of(inputs.Length)));
        graph.Output("y", graph.Unary(kind, x));
        var values = new Dictionary<string, HostTensor> { ["x"] = HostTensor.Create([inputs.Length], [.. inputs.Select(v => (double)v)]) };
        var target = cpu is null ? null : new CpuTarget(Cpu: cpu);
        var run = CompiledRun.Execute(graph.Build(), values, target, 1, 2);
        run.AssertRunsIdentical();
        return (inputs, [.. run.Compiled["y"].Data.ToArray().Select(v => (float)v)]);
    }

    private static float At(float[] inputs, float[] outputs, float input) => UlpError.At(inputs, outputs, input);
}
