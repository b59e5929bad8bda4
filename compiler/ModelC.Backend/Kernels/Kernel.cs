using System.Collections.Immutable;

namespace ModelC.Backend.Kernels;

/// <summary>One loop of a nest: a variable and how many values it takes.</summary>
public sealed record Loop(LoopVar Var, Expr Extent);

/// <summary>
/// A unit of generated code: computes every element of <see cref="Output"/> (and of a map
/// kernel's further results). Its parallel loop is split over threads by the runtime; every
/// element is computed by exactly one iteration.
/// </summary>
public abstract record Kernel(string Symbol, KernelBuffer Output, string Description)
{
    /// <summary>Every buffer the kernel reads.</summary>
    public abstract IEnumerable<KernelBuffer> Reads { get; }

    /// <summary>Every buffer the kernel writes: <see cref="Output"/> first.</summary>
    public virtual ImmutableArray<KernelBuffer> Outputs => [Output];

    /// <summary>
    /// The buffers the code receives: the outputs, then the reads, each once, in the order the
    /// kernel's expressions first load them — a function of the kernel's structure, not of buffer
    /// ids, so that equal kernels reading different buffers take their arguments in the same order.
    /// </summary>
    public ImmutableArray<KernelBuffer> Arguments =>
        [.. Outputs, .. Reads.Where(b => !Outputs.Any(o => o.Id == b.Id)).DistinctBy(b => b.Id)];

    /// <summary>The buffers loaded anywhere in <paramref name="expressions"/>.</summary>
    protected static IEnumerable<KernelBuffer> LoadsIn(params Expr[] expressions) =>
        expressions.SelectMany(ExprWalker.Loads).Select(l => l.Buffer);
}

/// <summary>
/// <c>Output[i₀, …, iₙ] = Body</c> for every index: one loop per output axis, the last one
/// innermost and contiguous (so it vectorises), the others flattened into the parallel loop.
/// A multi-output kernel also computes its <see cref="Siblings"/> over the same loops: each
/// iteration evaluates every body, then stores every result, so the bodies share their loads and
/// common subexpressions, and a result may overwrite a buffer the bodies read at its own element.
/// Its results may also be reductions over the same domain (sibling reductions), whose code
/// shares their loops.
/// </summary>
public sealed record MapKernel(string Symbol, KernelBuffer Output, string Description, ImmutableArray<Loop> Loops, Expr Body)
    : Kernel(Symbol, Output, Description)
{
    /// <summary>The further results, each with its own body over the kernel's loops; empty for a single-output kernel.</summary>
    public ImmutableArray<MapResult> Siblings { get; init; } = [];

    /// <summary>Every result with its body: <see cref="Kernel.Output"/> and <see cref="Body"/> first, then the siblings.</summary>
    public ImmutableArray<MapResult> Results => [new MapResult(Output, Body), .. Siblings];

    /// <inheritdoc/>
    public override ImmutableArray<KernelBuffer> Outputs => [.. Results.Select(r => r.Output)];

    /// <inheritdoc/>
    public override IEnumerable<KernelBuffer> Reads => LoadsIn([.. Results.Select(r => r.Body)]);
}

/// <summary>One result of a map kernel: <c>Output[i₀, …, iₙ] = Body</c> over the kernel's loops.</summary>
public sealed record MapResult(KernelBuffer Output, Expr Body);

/// <summary>
/// A batched matrix product with fused operands and epilogue:
/// <c>Output[o…, m…, n…] = Epilogue(Σ_k A[o…, m…, k…] · B[o…, k…, n…])</c>. <see cref="A"/> and
/// <see cref="B"/> are expressions over the loop variables (views and elementwise producers are
/// inlined, so a convolution reads its input through the unfold directly); they are evaluated
/// while packing tiles. The epilogue refers to the sum as <see cref="Accumulator"/>.
/// <see cref="Tiling"/> says how the code is blocked for the target.
/// </summary>
public sealed record GemmKernel(
    string Symbol,
    KernelBuffer Output,
    string Description,
    ImmutableArray<Loop> Outer,
    ImmutableArray<Loop> Rows,
    ImmutableArray<Loop> Columns,
    ImmutableArray<Loop> Depth,
    Expr A,
    Expr B,
    Expr Epilogue,
    GemmTiling Tiling) : Kernel(Symbol, Output, Description)
{
    /// <inheritdoc/>
    public override IEnumerable<KernelBuffer> Reads => LoadsIn(A, B, Epilogue);
}
