using ModelC.Backend.Kernels;
using static ModelC.Backend.Kernels.IndexMath;

namespace ModelC.Backend.Cpu;

/// <summary>
/// How many consecutive iterations of a map kernel's parallel loop (its rows, or the chunks of a
/// short loop's rows) one task runs, so that a task holds at least <see cref="TaskWork"/> of work
/// where the kernel has that much. A smaller kernel — a loss over a batch of class scores, a
/// bias's optimizer update, a bias gradient — is then one task, which the calling thread runs
/// without waking the others: waking a thread and waiting for it costs more than the work it
/// would take over. Work is counted in elements, each weighted by the terms of its reductions.
/// A task runs whole iterations, each element still computed by one iteration in the same
/// order, so the grouping changes no bits, whatever the thread count.
/// </summary>
internal static class MapTaskGrain
{
    /// <summary>The least work, in element terms, a kernel splits off into a task of its own.</summary>
    public const long TaskWork = 65536;

    /// <summary>
    /// Iterations per task (at least 1) for <paramref name="iterations"/> iterations of
    /// <paramref name="elementsPerIteration"/> elements of <paramref name="kernel"/>; 1 when the
    /// work of an element is not known from the symbols (a reduction's extent depends on the row).
    /// </summary>
    public static Expr IterationsPerTask(MapKernel kernel, Expr iterations, Expr elementsPerIteration)
    {
        var perElement = kernel.Results.Aggregate((Expr?)Const(1), (sum, result) => sum is not null && Terms(result.Body) is { } terms ? Add(sum, terms) : null);
        if (perElement is null)
        {
            return Const(1);
        }
        var tasks = Max(Const(1), Div(Mul(iterations, Mul(elementsPerIteration, perElement)), Const(TaskWork)));
        return Max(Const(1), Div(Add(iterations, Sub(tasks, Const(1))), tasks));
    }

    // The terms the reductions in an expression add for one element; null when an extent reads a loop variable.
    private static Expr? Terms(Expr expr)
    {
        if (expr is Reduce reduce)
        {
            if (reduce.Extents.Any(ReadsLoopVariable) || Terms(reduce.Body) is not { } inner)
            {
                return null;
            }
            return Mul(reduce.Extents.Aggregate(Const(1), Mul), Add(Const(1), inner));
        }
        return ExprWalker.Children(expr).Aggregate((Expr?)Const(0), (sum, child) => sum is not null && Terms(child) is { } terms ? Add(sum, terms) : null);
    }

    private static bool ReadsLoopVariable(Expr expr) => expr is LoopVar || ExprWalker.Children(expr).Any(ReadsLoopVariable);
}
