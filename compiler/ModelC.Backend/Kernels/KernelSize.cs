namespace ModelC.Backend.Kernels;

/// <summary>
/// How large a kernel's code is before it is emitted: the distinct expression nodes of its
/// bodies (a map kernel's results; a GEMM's operands and epilogue) and loop extents, each shared
/// node once, as the emitter emits it once. LLVM's time on a kernel grows with it, which is what
/// the compile batch orders its jobs by.
/// </summary>
public static class KernelSize
{
    /// <summary>The number of distinct expression nodes of <paramref name="kernel"/>.</summary>
    public static int Of(Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        IEnumerable<Expr> roots = kernel switch
        {
            MapKernel map => [.. map.Loops.Select(l => l.Extent), .. map.Results.Select(r => r.Body)],
            GemmKernel gemm => [.. new[] { gemm.Outer, gemm.Rows, gemm.Columns, gemm.Depth }.SelectMany(loops => loops.Select(l => l.Extent)), gemm.A, gemm.B, gemm.Epilogue],
            _ => throw new ArgumentException($"no size known for the kernel {kernel.GetType().Name}", nameof(kernel)),
        };
        // Records compare by value; identity is what the emitter shares.
        var seen = new HashSet<Expr>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Expr>(roots);
        while (pending.Count > 0)
        {
            var expr = pending.Pop();
            if (seen.Add(expr))
            {
                foreach (var child in ExprWalker.Children(expr))
                {
                    pending.Push(child);
                }
            }
        }
        return seen.Count;
    }
}
