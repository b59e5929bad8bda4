namespace ModelC.Backend.Kernels;

/// <summary>Traversals of expression trees.</summary>
public static class ExprWalker
{
    /// <summary>The direct operands of an expression.</summary>
    public static IEnumerable<Expr> Children(Expr expr) => expr switch
    {
        IndexBinary e => [e.Left, e.Right],
        Load e => e.Indices,
        Unary e => [e.Operand],
        Binary e => [e.Left, e.Right],
        Compare e => [e.Left, e.Right],
        Select e => [e.Condition, e.Then, e.Otherwise],
        Cast e => [e.Operand],
        Reduce e => [.. e.Extents, e.Body],
        LoopVar or IndexConst or SymbolValue or Constant or Accumulator => [],
        _ => throw new InvalidOperationException($"no children known for the expression {expr.GetType().Name}"),
    };

    /// <summary>Whether the tree reads any of <paramref name="vars"/>.</summary>
    public static bool Mentions(Expr expr, IReadOnlySet<LoopVar> vars) =>
        (expr is LoopVar v && vars.Contains(v)) || Children(expr).Any(child => Mentions(child, vars));

    /// <summary>Whether the tree holds a reduction.</summary>
    public static bool ContainsReduce(Expr expr) => expr is Reduce || Children(expr).Any(ContainsReduce);

    /// <summary>Every load in the tree, outermost first.</summary>
    public static IEnumerable<Load> Loads(Expr expr)
    {
        var stack = new Stack<Expr>([expr]);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e is Load load)
            {
                yield return load;
            }
            foreach (var child in Children(e))
            {
                stack.Push(child);
            }
        }
    }
}
