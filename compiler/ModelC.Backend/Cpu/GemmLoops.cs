using ModelC.Backend.Kernels;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// Binds a GEMM kernel's loop variables from flat positions: the code walks flat outer, row,
/// column and depth indices, and the operand and epilogue expressions use the loop variables of
/// each group (a convolution's depth is channel × kernel row × kernel column), which are split
/// back out of the flat index.
/// </summary>
internal sealed class GemmLoops(ExprEmitter x, GemmKernel kernel)
{
    private readonly LoopVar _outer = new(-1);
    private readonly LoopVar _row = new(-2);
    private readonly LoopVar _column = new(-3);
    private readonly LoopVar _depth = new(-4);

    public void BindOuter(LLVMValueRef flat) => Bind(kernel.Outer, _outer, flat);

    public void BindRow(LLVMValueRef flat) => Bind(kernel.Rows, _row, flat);

    public void BindColumn(LLVMValueRef flat) => Bind(kernel.Columns, _column, flat);

    public void BindDepth(LLVMValueRef flat) => Bind(kernel.Depth, _depth, flat);

    private void Bind(IReadOnlyList<Loop> loops, LoopVar flat, LLVMValueRef value)
    {
        x.Bind(flat, value);
        var parts = IndexMath.Delinearize(flat, [.. loops.Select(l => l.Extent)]);
        for (var i = 0; i < loops.Count; i++)
        {
            x.Bind(loops[i].Var, x.Emit(parts[i]));
        }
    }
}
