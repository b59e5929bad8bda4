using ModelC.Backend.Tests;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Runtime;

namespace ModelC.Gpu.Tests;

/// <summary>
/// The GPU kernels' tanh (<see cref="Runtime.KernelMath.Tanh"/>, the CPU's divide-free form) on
/// ILGPU's CPU accelerator against double precision, over a sweep of the whole f32 range (every
/// 65,537th bit pattern: both signs, subnormals, every exponent) plus the special values.
/// </summary>
public sealed class MathAccuracyTests
{
    private const int BitStride = 65537;

    /// <summary>tanh is within 3 ulp everywhere; ±0, ±∞ and NaN come out as IEEE says.</summary>
    [Fact]
    public void TanhIsWithinThreeUlp()
    {
        float[] specials = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 9.5f, 0.35f, -0.35f, float.Epsilon, float.MaxValue, float.MinValue];
        var sweep = Enumerable.Range(0, (int)((1L << 32) / BitStride)).Select(i => BitConverter.Int32BitsToSingle(unchecked((int)((uint)i * BitStride))));
        var inputs = specials.Concat(sweep).ToArray();
        var builder = new GraphBuilder("math");
        var x = builder.Input("x", new TensorType(ElementType.F32, Shape.Of(inputs.Length)));
        builder.Output("y", builder.Unary(UnaryKind.Tanh, x));
        var graph = builder.Build();
        var values = new Dictionary<string, HostTensor> { ["x"] = HostTensor.Create([inputs.Length], [.. inputs.Select(v => (double)v)]) };
        var run = CompiledRun.Execute(graph, graph, values, GpuTarget.Instance, IlgpuCpu.Devices);
        float[] outputs = [.. run.Compiled["y"].Data.ToArray().Select(v => (float)v)];

        var (worst, at) = UlpError.Worst(inputs, outputs, Math.Tanh);
        Assert.True(worst <= 3, $"tanh is off by {worst:F2} ulp at {at:R}");
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(UlpError.At(inputs, outputs, -0f)));
        Assert.Equal(BitConverter.SingleToInt32Bits(0f), BitConverter.SingleToInt32Bits(UlpError.At(inputs, outputs, 0f)));
        Assert.Equal(1f, UlpError.At(inputs, outputs, float.PositiveInfinity));
        Assert.Equal(-1f, UlpError.At(inputs, outputs, float.NegativeInfinity));
        Assert.Equal(1f, UlpError.At(inputs, outputs, 9.5f));
        Assert.True(float.IsNaN(UlpError.At(inputs, outputs, float.NaN)));
    }
}
