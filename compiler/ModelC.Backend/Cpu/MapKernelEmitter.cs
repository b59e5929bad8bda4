using ModelC.Backend.Kernels;

namespace ModelC.Backend.Cpu;

/// <summary>
/// Emits a <see cref="MapKernel"/>: the parallel loop runs over rows (all axes but the last,
/// flattened), and an inner loop over the last axis stores contiguously, so LLVM vectorises it.
/// </summary>
internal static class MapKernelEmitter
{
    public static void Emit(LlvmEmitter e, MathFunctions math, MapKernel kernel, IReadOnlyList<string> symbols)
    {
        var loops = kernel.Loops;
        var outer = loops.Take(Math.Max(0, loops.Length - 1)).ToArray();
        var rows = outer.Aggregate((Expr)IndexMath.Const(1), (p, l) => IndexMath.Mul(p, l.Extent));
        Expr inner = loops.Length == 0 ? IndexMath.Const(1) : loops[^1].Extent;
        KernelFunction.EmitExtent(e, math, kernel, symbols, rows);

        var f = KernelFunction.Start(e, math, kernel, symbols);
        var x = f.Expressions;
        var row = new LoopVar(-1);
        var rowIndices = IndexMath.Delinearize(row, [.. outer.Select(l => l.Extent)]);
        var innerExtent = x.Emit(inner);
        e.For(f.Begin, f.End, r =>
        {
            x.Bind(row, r);
            for (var i = 0; i < outer.Length; i++)
            {
                x.Bind(outer[i].Var, x.Emit(rowIndices[i]));
            }
            var rowStart = e.Mul(r, innerExtent);
            e.For(e.Int(0), innerExtent, j =>
            {
                if (loops.Length > 0)
                {
                    x.Bind(loops[^1].Var, j);
                }
                var value = x.Emit(kernel.Body);
                var address = e.Gep(x.MemoryType(kernel.Output), OutputBase(x, kernel), e.Add(rowStart, j));
                x.Store(kernel.Output, value, address);
            });
        });
        f.Finish();
    }

    private static Llvm.Interop.LLVMValueRef OutputBase(ExprEmitter x, Kernel kernel) =>
        x.Address(kernel.Output, [.. kernel.Output.Shape.Select(_ => (Expr)IndexMath.Const(0))]);
}
