using System.Collections.Immutable;
using ModelC.Backend.Kernels;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Backend.Scheduling;

/// <summary>
/// Turns a node, read at an index, into a kernel expression: stored nodes become loads, others
/// are inlined — elementwise ops by recursion, views by rewriting the index (a permute permutes
/// it, a broadcast drops axes, a pad clamps it and selects the pad value), reductions and folds
/// into nested <see cref="Reduce"/> loops. A node read again at an equal index gives the same
/// expression object, so a value with several readers in one kernel (a norm that a test and a
/// scale both read) is one shared subtree, which the emitters compute once.
/// </summary>
internal sealed class ExprBuilder(
    IReadOnlyList<string> symbols,
    IReadOnlyDictionary<Node, KernelBuffer> buffers,
    Func<LoopVar> newVar)
{
    /// <summary>
    /// Nodes to replace by a fixed expression (a sibling's body in a multi-output map). A read
    /// cached since <see cref="StartKernel"/> keeps the substitutions it was built under, so set
    /// one only where nothing read so far in the kernel depends on the node.
    /// </summary>
    public Dictionary<Node, Expr> Substitutions { get; } = new(ReferenceEqualityComparer.Instance);

    private readonly Dictionary<ReadSite, Expr> _reads = [];

    /// <summary>
    /// Forgets the expressions built so far; called at the start of each kernel, whose loop
    /// variables are numbered afresh (an expression of the last kernel would mean other loops).
    /// </summary>
    public void StartKernel() => _reads.Clear();

    /// <summary>
    /// The epilogue of <paramref name="contraction"/> that ends at <paramref name="root"/>: the
    /// value of <paramref name="root"/> at the contraction's output index, the contraction itself
    /// read as its <see cref="Accumulator"/>.
    /// </summary>
    public Expr Epilogue(Node contraction, Node root, IReadOnlyList<Expr> outputIndex)
    {
        if (ReferenceEquals(root, contraction))
        {
            return new Accumulator();
        }
        Substitutions[contraction] = new Accumulator();
        try
        {
            return Define(root, outputIndex);
        }
        finally
        {
            Substitutions.Remove(contraction);
        }
    }

    /// <summary>The value of <paramref name="node"/> at <paramref name="index"/>: a load if it is stored.</summary>
    public Expr Read(Node node, IReadOnlyList<Expr> index)
    {
        if (Substitutions.TryGetValue(node, out var substitute))
        {
            return substitute;
        }
        var site = new ReadSite(node, [.. index]);
        if (!_reads.TryGetValue(site, out var value))
        {
            value = buffers.TryGetValue(node, out var buffer) ? new Load(buffer, site.Index) : Define(node, index);
            _reads[site] = value;
        }
        return value;
    }

    /// <summary>The value of <paramref name="node"/> at <paramref name="index"/> computed from its operands (never its own buffer).</summary>
    public Expr Define(Node node, IReadOnlyList<Expr> index)
    {
        var inputs = node.Inputs;
        Expr In(int i) => Read(inputs[i], index);
        return node.Op switch
        {
            UnaryOp op => new Unary(op.Kind, In(0)),
            BinaryOp op => new Binary(op.Kind, In(0), In(1)),
            CompareOp op => new Compare(op.Kind, In(0), In(1)),
            SelectOp => new Select(In(0), In(1), In(2)),
            CastOp op => ConvertTo(op.To, In(0)),
            ConstantOp op => new Constant(op.Value, KernelBuffer.ScalarTypeOf(op.Type.ElementType)),
            IotaOp op => ConvertTo(op.Type.ElementType, index[op.Axis]),
            DimSizeOp op => new Cast(ScalarType.F32, IndexMath.Size(Dim.Symbolic(op.Symbol), symbols)),
            ReshapeOp => Read(inputs[0], Reshape(inputs[0].Type.Shape, node.Type.Shape, index)),
            PermuteOp op => Read(inputs[0], Permute(op.Permutation, index)),
            BroadcastOp op => Read(inputs[0], Broadcast(inputs[0].Type.Shape, op, index)),
            SliceOp op => Read(inputs[0], Slice(op, index)),
            PadOp op => Pad(op, inputs[0], index),
            ConcatOp op => Concat(op.Axis, inputs, index),
            ReverseOp op => Read(inputs[0], Reverse(op, inputs[0].Type.Shape, index)),
            UnfoldOp op => Read(inputs[0], Unfold(op.Window, index)),
            FoldOp op => Fold(op, inputs[0], index),
            GatherOp op => Gather(op.Axis, inputs[0], inputs[1], index),
            ScatterAddOp op => ScatterAdd(op, inputs[0], inputs[1], index),
            ReduceOp op => ReduceOver(op, inputs[0], index),
            _ => throw new InvalidOperationException($"'{node.Op.Mnemonic}' cannot be inlined; it needs its own kernel"),
        };
    }

    /// <summary>The size of <paramref name="dim"/> as an index expression.</summary>
    public Expr Size(Dim dim) => IndexMath.Size(dim, symbols);

    private static Expr ConvertTo(ElementType type, Expr value) =>
        value.Type == KernelBuffer.ScalarTypeOf(type) ? value : new Cast(KernelBuffer.ScalarTypeOf(type), value);

    // Symbols never move in a reshape, so the shapes split into the same sequence of groups
    // (a run of fixed dims, or one symbol); a run splits further into the shortest spans of equal
    // size on both sides, and only positions within a span are recomputed: merging (8, 8, 128)
    // into (64, 128) splits the 64 and leaves the 128 as it is, so the innermost index stays the
    // loop's own (contiguous, vectorisable) rather than a remainder of a flat position.
    private Expr[] Reshape(Shape from, Shape to, IReadOnlyList<Expr> index)
    {
        var result = new Expr[from.Rank];
        var (i, j) = (0, 0);
        while (i < from.Rank || j < to.Rank)
        {
            if (i < from.Rank && j < to.Rank && !from[i].IsFixed && !to[j].IsFixed)
            {
                result[i++] = index[j++];
                continue;
            }
            var (fromEnd, toEnd) = (i, j);
            while (fromEnd < from.Rank && from[fromEnd].IsFixed)
            {
                fromEnd++;
            }
            while (toEnd < to.Rank && to[toEnd].IsFixed)
            {
                toEnd++;
            }
            foreach (var (fromSpan, toSpan) in EqualSpans(from, i, fromEnd, to, j, toEnd))
            {
                var linear = IndexMath.Linearize(
                    [.. toSpan.Select(k => index[k])],
                    [.. toSpan.Select(k => Size(to[k]))]);
                var parts = IndexMath.Delinearize(linear, [.. fromSpan.Select(k => Size(from[k]))]);
                parts.CopyTo(result, fromSpan.First());
            }
            (i, j) = (fromEnd, toEnd);
        }
        return result;
    }

    // The fixed dims [i, fromEnd) of from and [j, toEnd) of to (equal products) cut into the
    // shortest consecutive spans of equal products, each with at least one dim of from; dims of
    // size 1 left over on the to side join the last span. With a dim of size 0, one span.
    private static IEnumerable<(int[] From, int[] To)> EqualSpans(Shape from, int i, int fromEnd, Shape to, int j, int toEnd)
    {
        if (Enumerable.Range(i, fromEnd - i).Any(k => from[k].FixedSize == 0) || Enumerable.Range(j, toEnd - j).Any(k => to[k].FixedSize == 0))
        {
            yield return ([.. Enumerable.Range(i, fromEnd - i)], [.. Enumerable.Range(j, toEnd - j)]);
            yield break;
        }
        while (i < fromEnd)
        {
            var (fromStart, toStart) = (i, j);
            long fromSize = from[i++].FixedSize, toSize = 1;
            while (fromSize != toSize || (j < toEnd && to[j].FixedSize == 1 && i == fromEnd))
            {
                if (toSize < fromSize || (fromSize == toSize && j < toEnd))
                {
                    toSize *= to[j++].FixedSize;
                }
                else
                {
                    fromSize *= from[i++].FixedSize;
                }
            }
            yield return ([.. Enumerable.Range(fromStart, i - fromStart)], [.. Enumerable.Range(toStart, j - toStart)]);
        }
    }

    private static Expr[] Permute(ImmutableArray<int> permutation, IReadOnlyList<Expr> index)
    {
        var result = new Expr[permutation.Length];
        for (var i = 0; i < permutation.Length; i++)
        {
            result[permutation[i]] = index[i];
        }
        return result;
    }

    private static Expr[] Broadcast(Shape from, BroadcastOp op, IReadOnlyList<Expr> index) =>
        [.. op.Axes.Select((axis, i) => from[i] == Dim.Of(1) && op.Target[axis] != Dim.Of(1) ? IndexMath.Const(0) : index[axis])];

    private static Expr[] Slice(SliceOp op, IReadOnlyList<Expr> index)
    {
        var result = index.ToArray();
        foreach (var range in op.Ranges)
        {
            result[range.Axis] = IndexMath.Add(result[range.Axis], IndexMath.Const(range.Start));
        }
        return result;
    }

    private Expr Pad(PadOp op, Node input, IReadOnlyList<Expr> index)
    {
        var shifted = index.ToArray();
        Expr? inside = null;
        // An axis may be padded more than once: the input then sits after the sum of its lows.
        var lows = op.Padding.GroupBy(p => p.Axis).Select(g => (Axis: g.Key, Low: g.Sum(p => p.Low), High: g.Sum(p => p.High)));
        foreach (var pad in lows.Where(p => p.Low != 0 || p.High != 0))
        {
            var size = input.Type.Shape[pad.Axis].FixedSize;
            var position = IndexMath.Sub(index[pad.Axis], IndexMath.Const(pad.Low));
            var within = And(
                new Compare(CompareKind.Ge, position, IndexMath.Const(0)),
                new Compare(CompareKind.Lt, position, IndexMath.Const(size)));
            inside = inside is null ? within : And(inside, within);
            shifted[pad.Axis] = IndexMath.Clamp(position, IndexMath.Const(size));
        }
        var value = Read(input, shifted);
        return inside is null ? value : new Select(inside, value, new Constant(op.Value, value.Type));
    }

    private Expr Concat(int axis, ImmutableArray<Node> parts, IReadOnlyList<Expr> index)
    {
        var offsets = new long[parts.Length];
        for (var p = 1; p < parts.Length; p++)
        {
            offsets[p] = offsets[p - 1] + parts[p - 1].Type.Shape[axis].FixedSize;
        }
        Expr PartAt(int p)
        {
            var shifted = index.ToArray();
            shifted[axis] = IndexMath.Clamp(IndexMath.Sub(index[axis], IndexMath.Const(offsets[p])), IndexMath.Const(parts[p].Type.Shape[axis].FixedSize));
            return Read(parts[p], shifted);
        }
        var result = PartAt(parts.Length - 1);
        for (var p = parts.Length - 2; p >= 0; p--)
        {
            result = new Select(new Compare(CompareKind.Lt, index[axis], IndexMath.Const(offsets[p + 1])), PartAt(p), result);
        }
        return result;
    }

    private Expr[] Reverse(ReverseOp op, Shape shape, IReadOnlyList<Expr> index)
    {
        var result = index.ToArray();
        foreach (var axis in op.Axes)
        {
            result[axis] = IndexMath.Sub(IndexMath.Sub(Size(shape[axis]), IndexMath.Const(1)), index[axis]);
        }
        return result;
    }

    // (…, kh, kw, H', W') → (…, H, W): y = y'·sh + i·dh.
    private static Expr[] Unfold(Window2d w, IReadOnlyList<Expr> index)
    {
        var lead = index.Count - 4;
        var (i, j, y, x) = (index[lead], index[lead + 1], index[lead + 2], index[lead + 3]);
        return
        [
            .. index.Take(lead),
            IndexMath.Add(IndexMath.Mul(y, IndexMath.Const(w.StrideH)), IndexMath.Mul(i, IndexMath.Const(w.DilationH))),
            IndexMath.Add(IndexMath.Mul(x, IndexMath.Const(w.StrideW)), IndexMath.Mul(j, IndexMath.Const(w.DilationW))),
        ];
    }

    // out[…, y, x] = Σ_{i,j} in[…, i, j, (y − i·dh)/sh, (x − j·dw)/sw] where the division is exact and in range.
    private Expr Fold(FoldOp op, Node input, IReadOnlyList<Expr> index)
    {
        var w = op.Window;
        var shape = input.Type.Shape;
        var lead = index.Count - 2;
        var (i, j) = (newVar(), newVar());
        var rows = WindowSource(index[lead], i, w.KernelH, w.DilationH, w.StrideH, shape[shape.Rank - 2].FixedSize);
        var columns = WindowSource(index[lead + 1], j, w.KernelW, w.DilationW, w.StrideW, shape[shape.Rank - 1].FixedSize);
        var value = Read(input, [.. index.Take(lead), rows.Tap, columns.Tap, rows.Source, columns.Source]);
        var body = new Select(And(rows.Valid, columns.Valid), value, new Constant(0, ScalarType.F32));
        return new Reduce(ReduceKind.Sum, [i, j], [IndexMath.Const(rows.Steps), IndexMath.Const(columns.Steps)], body);
    }

    // Which window positions put tap `Tap` on `position`, with the reduction variable `step`
    // running over `Steps` values. Undilated with stride s, only the taps i ≡ position (mod s)
    // reach it: i = position mod s + s·step, from window position position div s − step, so the
    // sum runs over ⌈k/s⌉ taps instead of k with no division per tap. The taps that are left
    // out contribute exact zeros, and the others keep their order, so the sum has the same bits.
    private static (Expr Tap, Expr Source, Expr Valid, long Steps) WindowSource(
        Expr position, LoopVar step, int kernel, int dilation, int stride, int positions)
    {
        if (dilation == 1 && stride > 1)
        {
            var tap = IndexMath.Add(IndexMath.Rem(position, IndexMath.Const(stride)), IndexMath.Mul(step, IndexMath.Const(stride)));
            var window = IndexMath.Sub(IndexMath.Div(position, IndexMath.Const(stride)), step);
            var inRange = And(
                And(new Compare(CompareKind.Ge, position, IndexMath.Const(0)), new Compare(CompareKind.Lt, tap, IndexMath.Const(kernel))),
                And(new Compare(CompareKind.Ge, window, IndexMath.Const(0)), new Compare(CompareKind.Lt, window, IndexMath.Const(positions))));
            return (IndexMath.Clamp(tap, IndexMath.Const(kernel)), IndexMath.Clamp(window, IndexMath.Const(positions)), inRange,
                (kernel + stride - 1) / stride);
        }
        var offset = IndexMath.Sub(position, IndexMath.Mul(step, IndexMath.Const(dilation)));
        var nonNegative = IndexMath.Max(offset, IndexMath.Const(0));
        var source = IndexMath.Div(nonNegative, IndexMath.Const(stride));
        var valid = And(
            And(new Compare(CompareKind.Ge, offset, IndexMath.Const(0)), new Compare(CompareKind.Eq, IndexMath.Rem(nonNegative, IndexMath.Const(stride)), IndexMath.Const(0))),
            new Compare(CompareKind.Lt, source, IndexMath.Const(positions)));
        return (step, IndexMath.Min(source, IndexMath.Const(positions - 1)), valid, kernel);
    }

    private Expr Gather(int axis, Node table, Node indices, IReadOnlyList<Expr> index)
    {
        var rank = indices.Type.Rank;
        var position = Read(indices, [.. index.Skip(axis).Take(rank)]);
        var row = IndexMath.Clamp(new Cast(ScalarType.Index, position), Size(table.Type.Shape[axis]));
        return Read(table, [.. index.Take(axis), row, .. index.Skip(axis + rank)]);
    }

    // out[a…, r, b…] = Σ_{i…} (indices[i…] = r ? updates[a…, i…, b…] : 0): a deterministic sum in index order.
    private Expr ScatterAdd(ScatterAddOp op, Node updates, Node indices, IReadOnlyList<Expr> index)
    {
        var vars = indices.Type.Shape.Dims.Select(_ => newVar()).ToImmutableArray();
        var row = IndexMath.Clamp(new Cast(ScalarType.Index, Read(indices, vars)), IndexMath.Const(op.Size));
        var value = Read(updates, [.. index.Take(op.Axis), .. vars, .. index.Skip(op.Axis + 1)]);
        var body = new Select(new Compare(CompareKind.Eq, row, index[op.Axis]), value, new Constant(0, ScalarType.F32));
        return new Reduce(ReduceKind.Sum, [.. vars], [.. indices.Type.Shape.Dims.Select(Size)], body);
    }

    private Expr ReduceOver(ReduceOp op, Node input, IReadOnlyList<Expr> index)
    {
        var shape = input.Type.Shape;
        var vars = new List<LoopVar>();
        var full = new Expr[shape.Rank];
        var kept = 0;
        for (var axis = 0; axis < shape.Rank; axis++)
        {
            if (op.Axes.Contains(axis))
            {
                var v = newVar();
                vars.Add(v);
                full[axis] = v;
            }
            else
            {
                full[axis] = index[kept++];
            }
        }
        var extents = op.Axes.Order().Select(a => Size(shape[a])).ToImmutableArray();
        return new Reduce(op.Kind, [.. vars], extents, Read(input, full));
    }

    private static Expr And(Expr a, Expr b) => new Select(a, b, new Constant(0, ScalarType.Bool));

    // A node read at an index: the same node, and index expressions that are equal as values
    // (records: structural for index arithmetic; a Load or Reduce inside an index holds arrays,
    // compared by reference, so reads through gathered indices are not shared).
    private readonly record struct ReadSite(Node Node, ImmutableArray<Expr> Index)
    {
        public bool Equals(ReadSite other) => ReferenceEquals(Node, other.Node) && Index.SequenceEqual(other.Index);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Node));
            foreach (var expr in Index)
            {
                hash.Add(expr);
            }
            return hash.ToHashCode();
        }
    }
}
