using ModelC.Backend.Kernels;
using ModelC.Compiler.IR.Ops;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// Packs a GEMM's operands into the panel layouts the micro-kernel streams through, evaluating
/// the operand expressions as it goes (views, unfolds and elementwise producers are inlined in
/// them). A is packed into panels of MR rows, element (r, kk) at <c>kk·MR + r</c>; B into
/// panels of NR columns, element (kk, j) at <c>kk·NR + j</c>, the last panel's missing
/// columns zero. An operand that is a plain float load contiguous along the panel's width is
/// copied with vector loads (masked only in a partial panel); one contiguous along k instead is transposed in registers
/// (<see cref="GemmTransposeKernel"/>); any other load affine in its loops (a convolution's
/// unfold, an operand of several loops) is gathered a vector at a time from per-panel offsets;
/// any other expression is evaluated element by element, innermost along the direction its
/// loads are contiguous in.
/// </summary>
internal sealed class GemmPacking(LlvmEmitter e, ExprEmitter x, GemmLoops loops, GemmKernel kernel, IReadOnlyList<string> symbols)
{
    // The longest period of the bounds' lane masks (a 4 × 4 kernel's taps) whose residues are
    // unrolled, so that the steps of k are filled in order.
    private const long MaxUnrolledPeriod = 16;

    // The bytes after which addresses map to the same set of L1 again.
    private const long L1SetSpanBytes = 4096;

    // How many steps of k ahead a B read row by row is prefetched.
    private const int PrefetchRowsAhead = 4;

    // The floats in a 64-byte cache line.
    private const int FloatsPerCacheLine = 16;

    private readonly GemmTiling _tiling = kernel.Tiling;

    /// <summary>Packs rows [r0, r0 + rows) × depth [k0, k0 + depth) of A.</summary>
    public void PackA(LLVMValueRef packed, LLVMValueRef r0, LLVMValueRef rows, LLVMValueRef k0, LLVMValueRef depth)
    {
        var mr = _tiling.TileRows;
        var panelSize = e.Mul(depth, e.Int(mr));
        if (GemmOperandAccess.ContiguousLoad(kernel.A, kernel.Rows, symbols) is { } load)
        {
            var panels = Ceiling(rows, mr);
            e.For(e.Int(0), depth, kk =>
            {
                loops.BindDepth(e.Add(k0, kk));
                e.For(e.Int(0), panels, panel =>
                {
                    var first = e.Mul(panel, e.Int(mr));
                    loops.BindRow(e.Add(r0, first));
                    var source = x.Address(load.Buffer, load.Indices);
                    var target = e.Gep(e.F32, packed, e.Add(e.Mul(panel, panelSize), e.Mul(kk, e.Int(mr))));
                    CopyVectors(source, target, e.SMin(e.Int(mr), e.Sub(rows, first)), mr, (uint)sizeof(float));
                });
            });
            return;
        }
        if (GemmOperandAccess.ContiguousLoad(kernel.A, kernel.Depth, symbols) is { } rowMajor
            && GemmOperandAccess.Stride(rowMajor, kernel.Rows, symbols) is { } rowStride)
        {
            // Each row is contiguous along k: transposed into the panel in registers.
            loops.BindDepth(k0);
            var stride = x.Emit(rowStride);
            e.For(e.Int(0), Ceiling(rows, mr), panel =>
            {
                var first = e.Mul(panel, e.Int(mr));
                loops.BindRow(e.Add(r0, first));
                GemmTransposeKernel.Call(e, _tiling.Lanes, x.Address(rowMajor.Buffer, rowMajor.Indices), stride,
                    e.Sub(rows, first), mr, depth, e.Gep(e.F32, packed, e.Mul(panel, panelSize)));
            });
            return;
        }

        if (GemmOperandAccess.AffineBoundedLoad(kernel.A, [.. kernel.Rows.Select(l => l.Var), .. kernel.Depth.Select(l => l.Var)]) is { } affine)
        {
            GatherPanels(affine, packed, kernel.Rows, loops.BindRow, r0, rows, mr, wholePanels: false, k0, depth);
            return;
        }

        void Element(LLVMValueRef i, LLVMValueRef kk)
        {
            var panel = e.Mul(e.UDiv(i, e.Int(mr)), panelSize);
            var target = e.Gep(e.F32, packed, e.Add(panel, e.Add(e.Mul(kk, e.Int(mr)), e.URem(i, e.Int(mr)))));
            e.Store(x.Emit(kernel.A), target);
        }
        if (kernel.Rows.Length > 0 && GemmOperandAccess.IsContiguousIn(kernel.A, kernel.Rows[^1].Var))
        {
            e.For(e.Int(0), depth, kk =>
            {
                loops.BindDepth(e.Add(k0, kk));
                e.For(e.Int(0), rows, i =>
                {
                    loops.BindRow(e.Add(r0, i));
                    Element(i, kk);
                });
            });
        }
        else
        {
            e.For(e.Int(0), rows, i =>
            {
                loops.BindRow(e.Add(r0, i));
                e.For(e.Int(0), depth, kk =>
                {
                    loops.BindDepth(e.Add(k0, kk));
                    Element(i, kk);
                });
            });
        }
    }

    /// <summary>
    /// B as a plain float load contiguous along its single column loop, which the micro-kernel can
    /// read in place: the load and its row stride (elements per step of its single depth loop),
    /// emitted here; null for any other B.
    /// </summary>
    public (Load Load, LLVMValueRef Stride)? InPlaceB() =>
        GemmOperandAccess.ContiguousLoad(kernel.B, kernel.Columns, symbols) is { } load
        && GemmOperandAccess.Stride(load, kernel.Depth, symbols) is { } stride
            ? (load, x.Emit(stride))
            : null;

    /// <summary>Packs depth [k0, k0 + depth) × columns [n0, n0 + columns) of B, zero-filling the last panel past the columns.</summary>
    public void PackB(LLVMValueRef packed, LLVMValueRef k0, LLVMValueRef depth, LLVMValueRef n0, LLVMValueRef columns)
    {
        var nr = _tiling.TileColumns;
        var panels = Ceiling(columns, nr);
        var panelSize = e.Mul(depth, e.Int(nr));
        LLVMValueRef Target(LLVMValueRef panel, LLVMValueRef kk, LLVMValueRef j) =>
            e.Gep(e.F32, packed, e.Add(e.Mul(panel, panelSize), e.Add(e.Mul(kk, e.Int(nr)), j)));
        if (GemmOperandAccess.ContiguousLoad(kernel.B, kernel.Columns, symbols) is { } load)
        {
            // Masked loads past the columns read zeros, which fills the last panel.
            e.For(e.Int(0), depth, kk =>
            {
                loops.BindDepth(e.Add(k0, kk));
                loops.BindColumn(n0);
                var source = x.Address(load.Buffer, load.Indices);
                var rowStride = GemmOperandAccess.Stride(load, kernel.Depth, symbols) is { } stride ? x.Emit(stride) : (LLVMValueRef?)null;
                e.For(e.Int(0), panels, panel =>
                {
                    var first = e.Mul(panel, e.Int(nr));
                    if (rowStride is { } step)
                    {
                        PrefetchPanel(e.Gep(e.F32, source, e.Add(first, e.Mul(step, e.Int(PrefetchRowsAhead)))), nr);
                    }
                    CopyVectors(e.Gep(e.F32, source, first), Target(panel, kk, e.Int(0)), e.Sub(columns, first), nr, (uint)(_tiling.Lanes * sizeof(float)));
                });
            });
            return;
        }
        if (GemmOperandAccess.ContiguousLoad(kernel.B, kernel.Depth, symbols) is { } columnMajor
            && GemmOperandAccess.Stride(columnMajor, kernel.Columns, symbols) is { } columnStride)
        {
            // Each column is contiguous along k (a transposed operand): transposed into the panel in registers.
            loops.BindDepth(k0);
            var stride = x.Emit(columnStride);
            e.For(e.Int(0), panels, panel =>
            {
                var first = e.Mul(panel, e.Int(nr));
                loops.BindColumn(e.Add(n0, first));
                GemmTransposeKernel.Call(e, _tiling.Lanes, x.Address(columnMajor.Buffer, columnMajor.Indices), stride,
                    e.Sub(columns, first), nr, depth, Target(panel, e.Int(0), e.Int(0)));
            });
            return;
        }

        if (GemmOperandAccess.AffineBoundedLoad(kernel.B, [.. kernel.Columns.Select(l => l.Var), .. kernel.Depth.Select(l => l.Var)]) is { } affine)
        {
            GatherPanels(affine, packed, kernel.Columns, loops.BindColumn, n0, columns, nr, wholePanels: true, k0, depth);
            return;
        }

        void Element(LLVMValueRef panel, LLVMValueRef kk, LLVMValueRef j) => e.Store(x.Emit(kernel.B), Target(panel, kk, j));
        LLVMValueRef Width(LLVMValueRef panel) => e.SMin(e.Int(nr), e.Sub(columns, e.Mul(panel, e.Int(nr))));
        if (kernel.Depth.Length > 0 && GemmOperandAccess.IsContiguousIn(kernel.B, kernel.Depth[^1].Var)
            && !(kernel.Columns.Length > 0 && GemmOperandAccess.IsContiguousIn(kernel.B, kernel.Columns[^1].Var)))
        {
            e.For(e.Int(0), panels, panel => e.For(e.Int(0), Width(panel), j =>
            {
                loops.BindColumn(e.Add(n0, e.Add(e.Mul(panel, e.Int(nr)), j)));
                e.For(e.Int(0), depth, kk =>
                {
                    loops.BindDepth(e.Add(k0, kk));
                    Element(panel, kk, j);
                });
            }));
        }
        else
        {
            e.For(e.Int(0), depth, kk =>
            {
                loops.BindDepth(e.Add(k0, kk));
                e.For(e.Int(0), panels, panel => e.For(e.Int(0), Width(panel), j =>
                {
                    loops.BindColumn(e.Add(n0, e.Add(e.Mul(panel, e.Int(nr)), j)));
                    Element(panel, kk, j);
                }));
            });
        }
        var last = e.Sub(panels, e.Int(1));
        e.For(e.Sub(columns, e.Mul(last, e.Int(nr))), e.Int(nr), j =>
            e.For(e.Int(0), depth, kk => e.Store(e.Float(0), Target(last, kk, j))));
    }

    // An operand that is a load affine in its panel's loops (rows of A, columns of B) and its
    // depth loops: its offset is (panel part) + (depth part) − (the offset with both at 0). Per
    // panel the panel parts of its `width` rows or columns are computed once into vectors; then
    // per step of k one scalar depth part and a masked gather per vector fill the panel's slice,
    // lanes past `count` reading zero. No index arithmetic, bounds test or select per element,
    // whatever the loops' shapes. When every vector's used lanes read elements one apart (a
    // stride-1 convolution's run of output positions along a row), the panel is filled with
    // masked vector loads instead, which cost a fraction of a gather; two apart (stride 2) within
    // each half of every vector, with two loads whose even elements are kept, one per half (so
    // output rows of half a vector, which make a vector span two rows, are loaded too rather
    // than gathered); a fill that no two neighbouring positions can
    // take, as the loops' strides and extents say (GemmLaneSpacing), is not emitted. B's panels are written whole (zeros past the
    // columns); A's only up to its rows, as the element-by-element pack writes them. A whole
    // slice is stored with plain stores (power-of-two pieces for MR < lanes): masked stores are
    // microcoded on AMD's Zen; only the last, partial panel of A keeps them. A bounded
    // load (a zero pad read in place) adds a lane mask per step of k: each bound's position is
    // affine too, split into lane vectors per panel and a scalar per step; lanes out of bounds
    // read nothing and give +0, as the pad's select does. The masks depend only on the depth
    // loops the bounds name (a convolution's 3 × 3 taps, not its channels), so they are computed
    // once per residue of k modulo those loops' extent and reused by its steps.
    private void GatherPanels(BoundedLoad bounded, LLVMValueRef packed, IReadOnlyList<Loop> across, Action<LLVMValueRef> bindAcross, LLVMValueRef firstAcross,
        LLVMValueRef count, int width, bool wholePanels, LLVMValueRef k0, LLVMValueRef depth)
    {
        var lanes = _tiling.Lanes;
        var chunks = (width + lanes - 1) / lanes;
        var panelSize = e.Mul(depth, e.Int(width));
        var load = bounded.Load;
        var offset = GemmOperandAccess.Offset(load, symbols);
        var start = x.Address(load.Buffer, [.. load.Indices.Select(_ => (Expr)IndexMath.Const(0))]);
        var indexVector = e.Vector(e.I64, lanes);
        var floatVector = e.Vector(e.F32, lanes);
        bindAcross(e.Int(0));
        loops.BindDepth(e.Int(0));
        var boundOrigins = bounded.Bounds.Select(b => x.Emit(b.Left)).ToArray();
        // Offsets and bound positions are affine in the across loops with fixed coefficients, so
        // each lane's is its origin plus coefficient × loop value, computed a vector at a time.
        var extents = across.Select(l => e.Splat(x.Emit(l.Extent), lanes)).ToArray();
        var strides = across.Select(l => e.Splat(x.Emit(GemmOperandAccess.Stride(load, l.Var, symbols)!), lanes)).ToArray();
        var boundCoefficients = bounded.Bounds.Select(b => across.Select(l => e.Splat(e.Int(GemmOperandAccess.Coefficient(b.Left, l.Var)!.Value), lanes)).ToArray()).ToArray();
        var boundOriginVectors = boundOrigins.Select(o => e.Splat(o, lanes)).ToArray();
        var last = e.Splat(e.Sub(count, e.Int(1)), lanes);
        var constantPeriod = BoundsPeriod(bounded);
        var period = constantPeriod is { } p ? e.Int(p) : depth;
        var inOrder = constantPeriod <= MaxUnrolledPeriod && PeriodStepsAlias(bounded);
        var acrossStart = e.Splat(firstAcross, lanes);
        var fills = Fills(GemmLaneSpacing.Between(load, across, symbols));
        e.For(e.Int(0), Ceiling(count, width), panel =>
        {
            var first = e.Mul(panel, e.Int(width));
            var parts = new LLVMValueRef[chunks];
            var positions = new LLVMValueRef[chunks, bounded.Bounds.Length];
            var loadMasks = new LLVMValueRef[chunks];
            var storeMasks = new LLVMValueRef[chunks];
            var (unit, even) = (e.Bool(true), e.Bool(true));
            var wholePanel = e.ICmp(LLVMIntPredicate.LLVMIntSGE, e.Sub(count, first), e.Int(width));
            for (var v = 0; v < chunks; v++)
            {
                var chunk = e.Add(first, e.Int(v * lanes));
                // Lanes past the last position repeat it (their loads are masked off).
                var flat = e.Add(acrossStart, e.SMin(e.Add(e.Splat(chunk, lanes), GemmMicroKernel.LaneIndices(e, lanes)), last));
                var values = SplitLanes(flat, extents);
                parts[v] = Combination(LLVM.ConstNull(indexVector), strides, values);
                for (var b = 0; b < bounded.Bounds.Length; b++)
                {
                    positions[v, b] = Combination(boundOriginVectors[b], boundCoefficients[b], values);
                }
                loadMasks[v] = GemmMicroKernel.LaneMask(e, e.Sub(count, chunk), lanes);
                storeMasks[v] = GemmMicroKernel.LaneMask(e, e.SMin(e.Int(Math.Min(lanes, width - v * lanes)), e.Sub(count, chunk)), lanes);
                if (fills.Count > 1)
                {
                    unit = e.And(unit, Spaced(parts[v], loadMasks[v], 1, lanes));
                }
                if (fills.Count > 2)
                {
                    even = e.And(even, Spaced(parts[v], loadMasks[v], 2, lanes / 2));
                }
            }
            // spacing: 1 or 2 for the elements apart that every vector's lanes read, 0 for any.
            // The steps of k that share a residue modulo the bounds' period share their lane
            // masks: those are computed once per residue, and its steps filled. Where the steps
            // of a residue alias in L1 (channel planes a multiple of 4 KiB apart: 32 × 32 floats)
            // and the period is short, the steps are filled in order of k instead, the residues
            // unrolled (their masks spilled): a convolution's taps of one channel then read the
            // same few lines one after another, where residue by residue each tap would walk
            // every channel, evicting what the next tap reads. Smaller planes stay residue by
            // residue, their masks in registers.
            LLVMValueRef[] ResidueMasks(LLVMValueRef residue)
            {
                bindAcross(e.Int(0));
                loops.BindDepth(e.Add(k0, residue));
                var steps = bounded.Bounds.Select((b, i) => e.Splat(e.Sub(x.Emit(b.Left), boundOrigins[i]), lanes)).ToArray();
                var masks = new LLVMValueRef[chunks];
                for (var v = 0; v < chunks; v++)
                {
                    masks[v] = loadMasks[v];
                    for (var b = 0; b < bounded.Bounds.Length; b++)
                    {
                        masks[v] = e.And(masks[v], InBounds(bounded.Bounds[b], e.Add(positions[v, b], steps[b])));
                    }
                }
                return masks;
            }
            void Fill(int spacing)
            {
                if (inOrder && constantPeriod is { } p)
                {
                    var masks = Enumerable.Range(0, (int)p).Select(r => ResidueMasks(e.Int(r))).ToArray();
                    var whole = e.UDiv(depth, period);
                    e.For(e.Int(0), whole, j =>
                    {
                        for (var r = 0; r < p; r++)
                        {
                            FillStep(spacing, e.Add(e.Mul(j, period), e.Int(r)), masks[r]);
                        }
                    });
                    var tail = e.Mul(whole, period);
                    for (var r = 0; r < p - 1; r++)
                    {
                        var residue = r;
                        e.If(e.ICmp(LLVMIntPredicate.LLVMIntSLT, e.Int(residue), e.Sub(depth, tail)), () => FillStep(spacing, e.Add(tail, e.Int(residue)), masks[residue]));
                    }
                    return;
                }
                e.For(e.Int(0), e.SMin(period, depth), residue =>
                {
                    var masks = ResidueMasks(residue);
                    e.For(e.Int(0), e.UDiv(e.Add(e.Sub(depth, residue), e.Sub(period, e.Int(1))), period), j => FillStep(spacing, e.Add(residue, e.Mul(j, period)), masks));
                });
            }
            void FillStep(int spacing, LLVMValueRef kk, LLVMValueRef[] masks)
            {
                bindAcross(e.Int(0));
                loops.BindDepth(e.Add(k0, kk));
                var row = e.Gep(e.F32, start, x.Emit(offset));
                var target = e.Gep(e.F32, packed, e.Add(e.Mul(panel, panelSize), e.Mul(kk, e.Int(width))));
                var values = new LLVMValueRef[chunks];
                for (var v = 0; v < chunks; v++)
                {
                    var mask = masks[v];
                    values[v] = spacing switch
                    {
                        1 => MaskedLoad(e.Gep(e.F32, row, e.ExtractLane(parts[v], 0)), mask),
                        2 => EvenElements(e.Gep(e.F32, row, e.ExtractLane(parts[v], 0)), e.Gep(e.F32, row, e.ExtractLane(parts[v], lanes / 2)), mask),
                        _ => e.CallIntrinsic($"llvm.masked.gather.v{lanes}f32.v{lanes}p0", floatVector,
                            e.Gep(e.F32, row, parts[v]), e.Int32(sizeof(float)), mask, LLVM.ConstNull(floatVector)),
                    };
                }
                void StoreWhole()
                {
                    for (var v = 0; v < chunks; v++)
                    {
                        var destination = e.Gep(e.F32, target, e.Int(v * lanes));
                        if (width % lanes == 0)
                        {
                            e.Store(values[v], destination, (uint)((wholePanels ? lanes : 1) * sizeof(float)));
                        }
                        else
                        {
                            LeadingLanes.Store(e, lanes, values[v], Math.Min(lanes, width - v * lanes), destination);
                        }
                    }
                }
                if (wholePanels)
                {
                    StoreWhole();
                    return;
                }
                e.IfElse(wholePanel, StoreWhole, () =>
                {
                    for (var v = 0; v < chunks; v++)
                    {
                        e.CallIntrinsic($"llvm.masked.store.v{lanes}f32.p0", e.Void, values[v], e.Gep(e.F32, target, e.Int(v * lanes)), e.Int32(sizeof(float)), storeMasks[v]);
                    }
                });
            }
            // Vector loads when every lane is one element from the last (a lone lane always is),
            // else the next fill that the loop shapes allow.
            if (fills.Count == 1)
            {
                Fill(1);
                return;
            }
            var notUnit = e.ICmp(LLVMIntPredicate.LLVMIntEQ, unit, e.Bool(false));
            e.If(unit, () => Fill(1));
            if (fills.Count == 2)
            {
                e.If(notUnit, () => Fill(fills[1]));
                return;
            }
            e.If(e.And(notUnit, even), () => Fill(2));
            e.If(e.And(notUnit, e.ICmp(LLVMIntPredicate.LLVMIntEQ, even, e.Bool(false))), () => Fill(0));
        });
    }

    // The fills (by the spacing they read at, 0 for gathers) that a panel can take, given the
    // spacings its neighbouring lanes can have (null: any): vector loads always, as a lone lane
    // takes them; pairs of loads when lanes can be two apart; gathers unless every pair of
    // neighbours is one apart or every pair two apart.
    private static IReadOnlyList<int> Fills(IReadOnlySet<long>? spacings) => spacings switch
    {
        null => [1, 2, 0],
        _ when spacings.All(s => s == 1) => [1],
        _ when spacings.All(s => s == 2) => [1, 2],
        _ when spacings.Contains(2) => [1, 2, 0],
        _ => [1, 0],
    };

    // How many steps of k apart the bounds' lane masks repeat: the extent of the innermost depth
    // loops that the bounds' positions depend on (a convolution's kernel rows × columns; the
    // channels outside them only move the offset), 1 when they depend on none, and the whole
    // depth block (null) when that extent is not a constant.
    private long? BoundsPeriod(BoundedLoad bounded)
    {
        var depthLoops = kernel.Depth;
        long period = 1;
        for (var i = OutermostBoundedDepthLoop(bounded); i < depthLoops.Length; i++)
        {
            if (depthLoops[i].Extent is not IndexConst { Value: var extent })
            {
                return null;
            }
            period *= extent;
        }
        return period;
    }

    // The first of the depth loops that the bounds' positions depend on (the depth loops' count
    // when they depend on none).
    private int OutermostBoundedDepthLoop(BoundedLoad bounded)
    {
        var depthLoops = kernel.Depth;
        for (var i = 0; i < depthLoops.Length; i++)
        {
            if (bounded.Bounds.Any(b => GemmOperandAccess.Coefficient(b.Left, depthLoops[i].Var) != 0))
            {
                return i;
            }
        }
        return depthLoops.Length;
    }

    // True when the depth loop just outside the bounds' period (a convolution's channels) steps
    // the load by a constant multiple of L1's set span (64 sets × 64 bytes on Zen 5, as on most
    // x86 cores): then every step of a residue maps to the same few sets of L1, and a walk over
    // the channels once per residue evicts what the next residue reads.
    private bool PeriodStepsAlias(BoundedLoad bounded)
    {
        var outside = OutermostBoundedDepthLoop(bounded) - 1;
        return outside >= 0
            && GemmOperandAccess.Stride(bounded.Load, kernel.Depth[outside].Var, symbols) is IndexConst { Value: var stride }
            && stride != 0 && stride * sizeof(float) % L1SetSpanBytes == 0;
    }

    // The loop values of a vector of flat indices over loops of these extents (splat), split
    // lane-wise as GemmLoops splits one flat index, innermost loop last.
    private LLVMValueRef[] SplitLanes(LLVMValueRef flat, LLVMValueRef[] extents)
    {
        var values = new LLVMValueRef[extents.Length];
        for (var i = extents.Length - 1; i >= 0; i--)
        {
            values[i] = i == 0 ? flat : e.URem(flat, extents[i]);
            flat = i == 0 ? flat : e.UDiv(flat, extents[i]);
        }
        return values;
    }

    // start + Σ coefficients[i] · values[i], lane-wise.
    private LLVMValueRef Combination(LLVMValueRef start, LLVMValueRef[] coefficients, LLVMValueRef[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            start = e.Add(start, e.Mul(coefficients[i], values[i]));
        }
        return start;
    }

    // True (an i1) when, in each group of `group` lanes, each lane the mask keeps holds the
    // group's first offset plus `spacing` times its place in the group: then vector loads, one
    // or more per group, replace the gather.
    private LLVMValueRef Spaced(LLVMValueRef offsets, LLVMValueRef mask, int spacing, int group)
    {
        var lanes = _tiling.Lanes;
        var firsts = LLVM.BuildShuffleVector(e.Builder, offsets, LLVM.GetUndef(e.Vector(e.I64, lanes)), Constants(i => i - i % group), "");
        var steps = e.Mul(e.URem(GemmMicroKernel.LaneIndices(e, lanes), e.Splat(e.Int(group), lanes)), e.Splat(e.Int(spacing), lanes));
        var expected = e.Add(firsts, steps);
        var matches = e.Select(mask, e.ICmp(LLVMIntPredicate.LLVMIntEQ, offsets, expected), e.Splat(e.Bool(true), lanes));
        return e.CallIntrinsic($"llvm.vector.reduce.and.v{lanes}i1", e.I1, matches);
    }

    private LLVMValueRef MaskedLoad(LLVMValueRef source, LLVMValueRef mask)
    {
        var vector = e.Vector(e.F32, _tiling.Lanes);
        return e.CallIntrinsic($"llvm.masked.load.v{_tiling.Lanes}f32.p0", vector, source, e.Int32(sizeof(float)), mask, LLVM.ConstNull(vector));
    }

    // The lanes (an i1 vector) whose position meets the bound.
    private LLVMValueRef InBounds(Compare bound, LLVMValueRef positions)
    {
        var limit = e.Splat(x.Emit(bound.Right), _tiling.Lanes);
        return e.ICmp(bound.Kind == CompareKind.Ge ? LLVMIntPredicate.LLVMIntSGE : LLVMIntPredicate.LLVMIntSLT, positions, limit);
    }

    // Elements 0, 2, …, lanes − 2 from low into the lower half of the lanes and from high into
    // the upper half, lane i only where the mask keeps it (zero elsewhere): two loads whose masks
    // keep the even elements of the lanes kept, so that no other element is touched, and a
    // shuffle of their even lanes. High is low + lanes when every lane reads two apart (a long
    // row of stride-2 output positions); each half starts its own row when the rows are half a
    // vector long (a stride-2 convolution to 8-wide outputs on 16 lanes).
    private LLVMValueRef EvenElements(LLVMValueRef low, LLVMValueRef high, LLVMValueRef mask)
    {
        var lanes = _tiling.Lanes;
        var off = LLVM.ConstNull(e.Vector(e.I1, lanes));
        var lowValues = MaskedLoad(low, LLVM.BuildShuffleVector(e.Builder, mask, off, Constants(i => i % 2 == 0 ? i / 2 : lanes), ""));
        var highValues = MaskedLoad(high, LLVM.BuildShuffleVector(e.Builder, mask, off, Constants(i => i % 2 == 0 ? (lanes + i) / 2 : lanes), ""));
        return LLVM.BuildShuffleVector(e.Builder, lowValues, highValues, Constants(i => 2 * i), "");
    }

    // The constant i32 vector of lane i's value: inserting constants into a constant folds to one.
    private LLVMValueRef Constants(Func<int, int> lane)
    {
        var vector = LLVM.ConstNull(e.Vector(e.I32, _tiling.Lanes));
        for (var i = 0; i < _tiling.Lanes; i++)
        {
            vector = LLVM.BuildInsertElement(e.Builder, vector, e.Int32(lane(i)), e.Int32(i), "");
        }
        return vector;
    }

    // Prefetches the cache lines of width floats from source. B packed row by row reads each row's
    // column block (a few cache lines) a whole row of B after the last: in a product of few rows
    // and a large B the hardware prefetcher did not keep up, and the pack waited on memory
    // (64x4096x4096 on Zen 5, AVX-512: 164-172 -> 179-192 GFLOP/s per CPU-second).
    private void PrefetchPanel(LLVMValueRef source, int width)
    {
        for (var start = 0; start < width; start += FloatsPerCacheLine)
        {
            // Arguments: read (0), highest locality (3: into L1), data cache (1).
            e.CallIntrinsic("llvm.prefetch.p0", e.Void, e.Gep(e.F32, source, e.Int(start)), e.Int32(0), e.Int32(3), e.Int32(1));
        }
    }

    // Copies `count` floats (clamped to 0 … width) from source to target with vectors of `width`
    // floats; lanes past `count` read as zero and are stored only up to width. A whole row
    // (count ≥ width, every panel but the last) is read and written with plain loads and stores,
    // power-of-two pieces for a last vector that width does not fill (MR = 6 of 8 lanes): masked
    // loads are microcoded on AMD's Zen. A partial row keeps the masked loads, which read nothing
    // past the operand's end and give the zeros that fill B's last panel.
    private void CopyVectors(LLVMValueRef source, LLVMValueRef target, LLVMValueRef count, int width, uint targetAlignment)
    {
        var lanes = _tiling.Lanes;
        var vector = e.Vector(e.F32, lanes);
        var whole = e.ICmp(LLVMIntPredicate.LLVMIntSGE, count, e.Int(width));
        e.IfElse(whole, () =>
        {
            for (var start = 0; start < width; start += lanes)
            {
                var (from, to) = (e.Gep(e.F32, source, e.Int(start)), e.Gep(e.F32, target, e.Int(start)));
                if (start + lanes <= width)
                {
                    e.Store(e.Load(vector, from, sizeof(float)), to, targetAlignment);
                }
                else
                {
                    LeadingLanes.Copy(e, lanes, width - start, from, to);
                }
            }
        }, () =>
        {
            for (var start = 0; start < width; start += lanes)
            {
                var available = GemmMicroKernel.LaneMask(e, e.Sub(count, e.Int(start)), lanes);
                var value = e.CallIntrinsic($"llvm.masked.load.v{lanes}f32.p0", vector,
                    e.Gep(e.F32, source, e.Int(start)), e.Int32(sizeof(float)), available, LLVM.ConstNull(vector));
                var destination = e.Gep(e.F32, target, e.Int(start));
                if (start + lanes <= width)
                {
                    e.Store(value, destination, targetAlignment);
                }
                else
                {
                    LeadingLanes.Store(e, lanes, value, width - start, destination);
                }
            }
        });
    }

    private LLVMValueRef Ceiling(LLVMValueRef a, int b) => e.UDiv(e.Add(a, e.Int(b - 1)), e.Int(b));
}
