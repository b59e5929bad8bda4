using ModelC.Backend.Kernels;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Backend.Tests.Driver;

/// <summary>Small hand-built kernels for the driver's tests: <c>out[i, j] = op(in[i, j], c)</c>.</summary>
internal static class TestKernels
{
    public static KernelBuffer Buffer(int id, ElementType type, params Dim[] shape) =>
        new(id, type, [.. shape], null, null);

    /// <summary>A map kernel over 4 × <paramref name="columns"/> with the given ids, variable numbers and operation.</summary>
    public static MapKernel Map(
        int output = 1, int input = 0, int firstVar = 1000, double constant = 2, BinaryKind kind = BinaryKind.Mul,
        int columns = 16, ElementType type = ElementType.F32, string symbol = "k0_mul", string description = "%1 mul", Dim? rows = null)
    {
        var shape = new[] { rows ?? Dim.Of(4), Dim.Of(columns) };
        var o = Buffer(output, type, shape);
        var a = Buffer(input, type, shape);
        var (i, j) = (new LoopVar(firstVar), new LoopVar(firstVar + 1));
        var scalar = KernelBuffer.ScalarTypeOf(type);
        var extent = shape[0].Symbol is { } s ? (Expr)new SymbolValue(0) : IndexMath.Const(shape[0].FixedSize);
        return new MapKernel(symbol, o, description, [new Loop(i, extent), new Loop(j, IndexMath.Const(columns))],
            new Binary(kind, new Load(a, [i, j]), new Constant(constant, scalar)));
    }

    /// <summary><c>out[j] = a[j] − b[j]</c> over 8 elements.</summary>
    public static MapKernel Difference(int output, int a, int b)
    {
        var shape = new[] { Dim.Of(8) };
        var j = new LoopVar(1000);
        return new MapKernel("k_sub", Buffer(output, ElementType.F32, shape), "%0 sub", [new Loop(j, IndexMath.Const(8))],
            new Binary(BinaryKind.Sub, new Load(Buffer(a, ElementType.F32, shape), [j]), new Load(Buffer(b, ElementType.F32, shape), [j])));
    }
}
