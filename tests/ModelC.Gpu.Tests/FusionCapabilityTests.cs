using ModelC.Backend.Cpu;
using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Gpu.Tests;

/// <summary>The fusion rules that rest on what the CPU's kernels can do are not applied to the GPU's programs.</summary>
public sealed class FusionCapabilityTests
{
    /// <summary>
    /// A zero-padded 3×3 convolution: the CPU's GEMM reads the pad's input in place (one kernel);
    /// the GPU's GEMM tiles would test the bounds on every read, so its program keeps the pad kernel.
    /// </summary>
    [Fact]
    public void OnlyTheCpuReadsAZeroPadInPlace()
    {
        var b = new GraphBuilder("conv");
        var padded = b.Add(new PadOp([new AxisPadding(2, 1, 1), new AxisPadding(3, 1, 1)], 0), b.Input("x", TensorType.F32(Shape.Of(1, 2, 6, 6))));
        var cols = b.Add(new UnfoldOp(Window2d.Square(3, 1, 1)), padded);
        var weight = b.Parameter("w", TensorType.F32(Shape.Of(4, 2, 3, 3)), new ConstantInit(1));
        b.Output("y", b.Contract(cols, weight, [0, 1, 2, 3, 4, 5], [6, 1, 2, 3], [0, 6, 4, 5]));
        var graph = b.Build();
        Assert.Equal([typeof(GemmKernel)], ProgramBuilder.Build(graph, CpuTarget.Host).Kernels.Select(k => k.GetType()));
        Assert.Equal([typeof(MapKernel), typeof(GemmKernel)], ProgramBuilder.Build(graph, GpuTarget.Instance).Kernels.Select(k => k.GetType()));
    }

    /// <summary>
    /// erf(x·w + z read at (j + 1) / 2, (j + 1) mod 2), a col2im read: the CPU's epilogue loop
    /// would stay scalar, so the add of the non-affine read runs in a map kernel of its own and the
    /// erf in another (vectorised); a GPU thread per element loses nothing, so its GEMM takes both.
    /// </summary>
    [Fact]
    public void OnlyTheCpuKeepsAFunctionOutOfAnEpilogueThatReadsNonAffinely()
    {
        var b = new GraphBuilder("fold");
        var product = b.Contract(b.Input("x", TensorType.F32(Shape.Of(4, 8))), b.Parameter("w", TensorType.F32(Shape.Of(8, 8)), new ConstantInit(1)), [0, 1], [1, 2], [0, 2]);
        var phases = b.Slice(b.Reshape(b.Input("z", TensorType.F32(Shape.Of(4, 5, 2))), Shape.Of(4, 10)), 1, 1, 9);
        b.Output("y", b.Unary(UnaryKind.Erf, b.Binary(BinaryKind.Add, product, phases)));
        var graph = b.Build();
        Assert.Equal([typeof(GemmKernel), typeof(MapKernel), typeof(MapKernel)], ProgramBuilder.Build(graph, CpuTarget.Host).Kernels.Select(k => k.GetType()));
        Assert.Equal([typeof(GemmKernel)], ProgramBuilder.Build(graph, GpuTarget.Instance).Kernels.Select(k => k.GetType()));
    }
}
