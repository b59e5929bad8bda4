using ModelC.Backend.Kernels;
using ModelC.Compiler.IR.Ops;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// Emits kernel expressions as scalar LLVM IR inside a kernel function: loads address their
/// buffers row-major, reductions become loops with a carried accumulator. Loop variables are
/// bound by the kernel emitters before an expression that uses them is emitted. An expression
/// object that occurs several times in one tree (the kernel IR shares a value with several
/// readers) is emitted once: a reduction read twice is one loop, not two.
/// </summary>
internal sealed class ExprEmitter(
    LlvmEmitter e, MathFunctions math, IReadOnlyDictionary<int, LLVMValueRef> bufferPointers, IReadOnlyList<string> symbolNames, LLVMValueRef[] symbols)
{
    private readonly Dictionary<LoopVar, LLVMValueRef> _vars = [];
    private readonly Dictionary<Expr, LLVMValueRef> _hoisted = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Expr, LLVMValueRef> _emitted = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<List<Expr>> _scopes = [];

    /// <summary>The value the <see cref="Accumulator"/> stands for (GEMM epilogues).</summary>
    public LLVMValueRef AccumulatorValue { get; set; }

    /// <summary>Binds a loop variable to its current value.</summary>
    public void Bind(LoopVar var, LLVMValueRef value) => _vars[var] = value;

    /// <summary>The LLVM type of a kernel scalar type (bool is i1 in registers).</summary>
    public LLVMTypeRef TypeOf(ScalarType type) => type switch
    {
        ScalarType.F32 => e.F32,
        ScalarType.I32 => e.I32,
        ScalarType.Bool => e.I1,
        ScalarType.Index => e.I64,
        _ => throw Unknown(type),
    };

    /// <summary>The address of element <paramref name="indices"/> of <paramref name="buffer"/>.</summary>
    public LLVMValueRef Address(KernelBuffer buffer, IReadOnlyList<Expr> indices)
    {
        var offset = Emit(IndexMath.Linearize(indices, [.. buffer.Shape.Select(d => IndexMath.Size(d, symbolNames))]));
        return e.Gep(MemoryType(buffer), bufferPointers[buffer.Id], offset);
    }

    /// <summary>Stores <paramref name="value"/> (of the buffer's scalar type) at <paramref name="address"/>.</summary>
    public void Store(KernelBuffer buffer, LLVMValueRef value, LLVMValueRef address) =>
        e.Store(buffer.ScalarType == ScalarType.Bool ? e.ZExt(value, e.I8) : value, address);

    /// <summary>The type elements of <paramref name="buffer"/> have in memory.</summary>
    public LLVMTypeRef MemoryType(KernelBuffer buffer) => buffer.ScalarType switch
    {
        ScalarType.F32 => e.F32,
        ScalarType.I32 => e.I32,
        ScalarType.Bool => e.I8,
        ScalarType.Index or _ => throw new InvalidOperationException($"buffer {buffer} has no memory type for {buffer.ScalarType}"),
    };

    /// <summary>
    /// Emits <paramref name="expr"/> once at the builder's position and makes every later
    /// <see cref="Emit"/> of that same expression object, until <see cref="ForgetHoisted"/>,
    /// use the value: for expressions invariant in the loops emitted after it.
    /// </summary>
    public void Hoist(Expr expr) => _hoisted[expr] = Emit(expr);

    /// <summary>Ends the values of <see cref="Hoist"/> (their loop has been emitted).</summary>
    public void ForgetHoisted() => _hoisted.Clear();

    /// <summary>Emits <paramref name="expr"/> at the builder's position.</summary>
    public LLVMValueRef Emit(Expr expr)
    {
        if (_hoisted.TryGetValue(expr, out var hoisted))
        {
            return hoisted;
        }
        // The values of one call hold for the rest of it only: the next call may be in another
        // loop, with other bindings.
        if (_scopes.Count == 0)
        {
            return InScope(() => Emit(expr));
        }
        if (_emitted.TryGetValue(expr, out var emitted))
        {
            return emitted;
        }
        var value = EmitNew(expr);
        if (expr is not (LoopVar or IndexConst or SymbolValue or Constant or Accumulator))
        {
            _emitted[expr] = value;
            _scopes.Peek().Add(expr);
        }
        return value;
    }

    // Runs emit with a scope of its own: what it emits (a loop body, one lane of a group) does
    // not dominate what follows it, or depends on a binding that changes after it.
    private T InScope<T>(Func<T> emit)
    {
        _scopes.Push([]);
        try
        {
            return emit();
        }
        finally
        {
            foreach (var expr in _scopes.Pop())
            {
                _emitted.Remove(expr);
            }
        }
    }

    private LLVMValueRef EmitNew(Expr expr) => expr switch
    {
        LoopVar v => _vars.TryGetValue(v, out var value) ? value : throw new InvalidOperationException($"loop variable {v} is not bound"),
        IndexConst c => e.Int(c.Value),
        SymbolValue s => symbols[s.Symbol],
        IndexBinary b => IndexArithmetic(b),
        Constant c => c.ValueType switch
        {
            ScalarType.F32 => e.Float(c.Value),
            ScalarType.I32 => e.Int32((int)c.Value),
            ScalarType.Bool => e.Bool(c.Value != 0),
            ScalarType.Index => e.Int((long)c.Value),
            _ => throw Unknown(c.ValueType),
        },
        Load l => LoadElement(l),
        Unary u => u.Type switch
        {
            ScalarType.F32 => FloatUnary(u.Kind, Emit(u.Operand)),
            ScalarType.I32 => IntUnary(u.Kind, Emit(u.Operand)),
            _ => throw new InvalidOperationException($"no {u.Kind} on {u.Type}"),
        },
        Binary b => b.Type switch
        {
            ScalarType.F32 => FloatBinary(b, Emit(b.Left), Emit(b.Right)),
            ScalarType.I32 => IntBinary(b.Kind, Emit(b.Left), Emit(b.Right)),
            _ => throw new InvalidOperationException($"no {b.Kind} on {b.Type}"),
        },
        Compare c when FiniteCheck.Matches(c) => FiniteCheck.Emit(e, this, c),
        Compare c => Comparison(c.Kind, c.Left.Type, Emit(c.Left), Emit(c.Right)),
        Select s => e.Select(Emit(s.Condition), Emit(s.Then), Emit(s.Otherwise)),
        Kernels.Cast c => Conversion(c.Operand.Type, c.To, Emit(c.Operand)),
        Reduce r => Reduction(r),
        Accumulator => AccumulatorValue.Handle != 0 ? AccumulatorValue : throw new InvalidOperationException("the accumulator is only defined in a GEMM epilogue"),
        _ => throw new InvalidOperationException($"cannot emit {expr.GetType().Name}"),
    };

    private LLVMValueRef IndexArithmetic(IndexBinary b)
    {
        var (x, y) = (Emit(b.Left), Emit(b.Right));
        // Operands known to be ≥ 0 divide unsigned (the same quotient; sdiv by a constant needs sign fix-ups).
        var unsigned = b.Op is IndexOp.Div or IndexOp.Rem && IndexMath.IsNonNegative(b.Left) && IndexMath.IsNonNegative(b.Right);
        return b.Op switch
        {
            IndexOp.Add => e.Add(x, y),
            IndexOp.Sub => e.Sub(x, y),
            IndexOp.Mul => e.Mul(x, y),
            IndexOp.Div => unsigned ? e.UDiv(x, y) : e.SDiv(x, y),
            IndexOp.Rem => unsigned ? e.URem(x, y) : e.SRem(x, y),
            IndexOp.Min => e.SMin(x, y),
            IndexOp.Max => e.SMax(x, y),
            _ => throw Unknown(b.Op),
        };
    }

    private LLVMValueRef LoadElement(Load load)
    {
        var value = e.Load(MemoryType(load.Buffer), Address(load.Buffer, load.Indices));
        return load.Type == ScalarType.Bool ? e.ICmp(LLVMIntPredicate.LLVMIntNE, value, LLVM.ConstInt(e.I8, 0, 0)) : value;
    }

    private LLVMValueRef FloatUnary(UnaryKind kind, LLVMValueRef x) => kind switch
    {
        UnaryKind.Neg => e.FNeg(x),
        UnaryKind.Exp => math.Exp(x),
        UnaryKind.Log => math.Log(x),
        UnaryKind.Sqrt => e.CallIntrinsic("llvm.sqrt.f32", e.F32, x),
        UnaryKind.Reciprocal => e.FDiv(e.Float(1), x),
        UnaryKind.Tanh => math.Tanh(x),
        UnaryKind.Erf => math.Erf(x),
        UnaryKind.Sin => e.CallIntrinsic("llvm.sin.f32", e.F32, x),
        UnaryKind.Cos => e.CallIntrinsic("llvm.cos.f32", e.F32, x),
        UnaryKind.Abs => e.CallIntrinsic("llvm.fabs.f32", e.F32, x),
        UnaryKind.Sign => e.Select(e.FCmp(LLVMRealPredicate.OGT, x, e.Float(0)), e.Float(1),
            e.Select(e.FCmp(LLVMRealPredicate.OLT, x, e.Float(0)), e.Float(-1), e.Float(0))),
        _ => throw Unknown(kind),
    };

    private LLVMValueRef IntUnary(UnaryKind kind, LLVMValueRef x)
    {
        var zero = e.Int32(0);
        var negated = e.Sub(zero, x);
        return kind switch
        {
            UnaryKind.Neg => negated,
            UnaryKind.Abs => e.Select(e.ICmp(LLVMIntPredicate.LLVMIntSLT, x, zero), negated, x),
            UnaryKind.Sign => e.Select(e.ICmp(LLVMIntPredicate.LLVMIntSGT, x, zero), e.Int32(1),
                e.Select(e.ICmp(LLVMIntPredicate.LLVMIntSLT, x, zero), e.Int32(-1), zero)),
            _ when kind.IsFloatOnly() =>
                throw new InvalidOperationException($"{kind} is not defined on i32"),
            _ => throw Unknown(kind),
        };
    }

    /// <summary>
    /// The float operation of <paramref name="b"/> on <paramref name="x"/> and <paramref name="y"/>:
    /// lane by lane on vectors too, but for a power other than a square (a call of powf).
    /// </summary>
    public LLVMValueRef FloatBinary(Binary b, LLVMValueRef x, LLVMValueRef y) => b.Kind switch
    {
        BinaryKind.Add => e.FAdd(x, y),
        BinaryKind.Sub => e.FSub(x, y),
        BinaryKind.Mul => e.FMul(x, y),
        BinaryKind.Div => e.FDiv(x, y),
        BinaryKind.Max => e.FMax(x, y),
        BinaryKind.Min => e.FMin(x, y),
        // x² is the common power and exact as a product; the rest go to libm's powf.
        BinaryKind.Pow when b.Right is Constant { Value: 2 } => e.FMul(x, x),
        BinaryKind.Pow => e.CallIntrinsic("llvm.pow.f32", e.F32, x, y),
        _ => throw Unknown(b.Kind),
    };

    // Wrapping like the interpreter; division by 0 gives 0 instead of trapping, and a negative
    // power gives 0 (the interpreter refuses both).
    private LLVMValueRef IntBinary(BinaryKind kind, LLVMValueRef x, LLVMValueRef y)
    {
        switch (kind)
        {
            case BinaryKind.Add:
                return e.WrappingAdd(x, y);
            case BinaryKind.Sub:
                return LLVM.BuildSub(e.Builder, x, y, "");
            case BinaryKind.Mul:
                return e.WrappingMul(x, y);
            case BinaryKind.Max:
                return e.SMax(x, y);
            case BinaryKind.Min:
                return e.SMin(x, y);
            case BinaryKind.Div:
                var zero = e.ICmp(LLVMIntPredicate.LLVMIntEQ, y, e.Int32(0));
                var minusOne = e.ICmp(LLVMIntPredicate.LLVMIntEQ, y, e.Int32(-1));
                var quotient = e.SDiv(x, e.Select(e.Or(zero, minusOne), e.Int32(1), y));
                return e.Select(zero, e.Int32(0), e.Select(minusOne, LLVM.BuildSub(e.Builder, e.Int32(0), x, ""), quotient));
            case BinaryKind.Pow:
                var result = e.Int32(1);
                var factor = x;
                for (var bit = 0; bit < 31; bit++)
                {
                    var set = e.ICmp(LLVMIntPredicate.LLVMIntNE, e.And(e.AShr(y, e.Int32(bit)), e.Int32(1)), e.Int32(0));
                    result = e.Select(set, e.WrappingMul(result, factor), result);
                    factor = e.WrappingMul(factor, factor);
                }
                return e.Select(e.ICmp(LLVMIntPredicate.LLVMIntSLT, y, e.Int32(0)), e.Int32(0), result);
            default:
                throw Unknown(kind);
        }
    }

    /// <summary>
    /// The comparison <paramref name="kind"/> of <paramref name="x"/> and <paramref name="y"/>, of
    /// kernel type <paramref name="type"/>; lane by lane on float vectors too.
    /// </summary>
    public LLVMValueRef Comparison(CompareKind kind, ScalarType type, LLVMValueRef x, LLVMValueRef y)
    {
        if (type == ScalarType.F32)
        {
            var predicate = kind switch
            {
                CompareKind.Eq => LLVMRealPredicate.OEQ,
                CompareKind.Ne => LLVMRealPredicate.UNE,
                CompareKind.Lt => LLVMRealPredicate.OLT,
                CompareKind.Le => LLVMRealPredicate.OLE,
                CompareKind.Gt => LLVMRealPredicate.OGT,
                CompareKind.Ge => LLVMRealPredicate.OGE,
                _ => throw Unknown(kind),
            };
            return e.FCmp(predicate, x, y);
        }
        var signed = type != ScalarType.Bool;
        var integer = kind switch
        {
            CompareKind.Eq => LLVMIntPredicate.LLVMIntEQ,
            CompareKind.Ne => LLVMIntPredicate.LLVMIntNE,
            CompareKind.Lt => signed ? LLVMIntPredicate.LLVMIntSLT : LLVMIntPredicate.LLVMIntULT,
            CompareKind.Le => signed ? LLVMIntPredicate.LLVMIntSLE : LLVMIntPredicate.LLVMIntULE,
            CompareKind.Gt => signed ? LLVMIntPredicate.LLVMIntSGT : LLVMIntPredicate.LLVMIntUGT,
            CompareKind.Ge => signed ? LLVMIntPredicate.LLVMIntSGE : LLVMIntPredicate.LLVMIntUGE,
            _ => throw Unknown(kind),
        };
        return e.ICmp(integer, x, y);
    }

    private LLVMValueRef Conversion(ScalarType from, ScalarType to, LLVMValueRef x)
    {
        if (from == to)
        {
            return x;
        }
        var target = TypeOf(to);
        return (from, to) switch
        {
            (ScalarType.F32, ScalarType.Bool) => e.FCmp(LLVMRealPredicate.UNE, x, e.Float(0)),
            (ScalarType.F32, ScalarType.I32) => e.CallIntrinsic("llvm.fptosi.sat.i32.f32", e.I32, x),
            (ScalarType.F32, ScalarType.Index) => e.CallIntrinsic("llvm.fptosi.sat.i64.f32", e.I64, x),
            (ScalarType.Bool, ScalarType.F32) => e.UIToFP(x, target),
            (ScalarType.Bool, ScalarType.I32 or ScalarType.Index) => e.ZExt(x, target),
            (ScalarType.I32 or ScalarType.Index, ScalarType.F32) => e.SIToFP(x, target),
            (ScalarType.I32 or ScalarType.Index, ScalarType.Bool) => e.ICmp(LLVMIntPredicate.LLVMIntNE, x, LLVM.ConstInt(TypeOf(from), 0, 0)),
            (ScalarType.I32, ScalarType.Index) => e.SExt(x, target),
            (ScalarType.Index, ScalarType.I32) => e.Trunc(x, target),
            _ => throw new InvalidOperationException($"no conversion from {from} to {to}"),
        };
    }

    /// <summary>
    /// Lanes of the accumulator of a sum's innermost loop: that many partial sums, each over every
    /// <c>SumLanes</c>-th term, combined pairwise at the end — a fixed order, the same on every
    /// target and thread count, that LLVM vectorises (one float accumulator would not: float
    /// addition does not reassociate). The terms past the last full group are added after, one
    /// by one, so a loop shorter than this sums in its plain order.
    /// </summary>
    public const int SumLanes = 32;

    /// <summary>The value a reduction starts from.</summary>
    public LLVMValueRef ReductionIdentity(ReduceKind kind) => kind switch
    {
        ReduceKind.Sum => e.Float(0),
        ReduceKind.Max => e.Float(double.NegativeInfinity),
        _ => throw Unknown(kind),
    };

    /// <summary>A reduction's accumulator after one more term.</summary>
    public LLVMValueRef Combine(ReduceKind kind, LLVMValueRef accumulator, LLVMValueRef value) => kind switch
    {
        ReduceKind.Sum => e.FAdd(accumulator, value),
        ReduceKind.Max => e.FMax(value, accumulator),
        _ => throw Unknown(kind),
    };

    /// <summary>
    /// Emits the loops of <paramref name="reduce"/>'s variables, outermost first, binding each,
    /// with <paramref name="body"/> innermost; for kernels that accumulate in memory.
    /// </summary>
    public void ReductionLoops(Reduce reduce, Action body) => Loops(reduce, 0, body);

    private void Loops(Reduce reduce, int level, Action body)
    {
        if (level == reduce.Vars.Length)
        {
            body();
            return;
        }
        e.For(e.Int(0), Emit(reduce.Extents[level]), i =>
        {
            Bind(reduce.Vars[level], i);
            Loops(reduce, level + 1, body);
        });
    }

    private LLVMValueRef Reduction(Reduce reduce) => Nest(reduce, 0, ReductionIdentity(reduce.Kind));

    // One loop per reduced variable, in order; the innermost combines the body into the accumulator.
    private LLVMValueRef Nest(Reduce reduce, int level, LLVMValueRef accumulator)
    {
        if (level == reduce.Vars.Length)
        {
            return Combine(reduce.Kind, accumulator, Emit(reduce.Body));
        }
        // A loop known to be shorter than a group has no groups: its lanes would be dead code
        // for LLVM to remove (32 copies of the body per reduction), and the plain loop is the
        // order the lanes' code gives it anyway.
        var shorterThanAGroup = reduce.Extents[level] is IndexConst { Value: < SumLanes };
        if (level == reduce.Vars.Length - 1 && !shorterThanAGroup && !ExprWalker.ContainsReduce(reduce.Body))
        {
            switch (reduce.Kind)
            {
                case ReduceKind.Sum:
                    return LaneSum(reduce, level, accumulator);
                case ReduceKind.Max:
                    return LaneMax(reduce, level, accumulator);
            }
        }
        return e.For(e.Int(0), Emit(reduce.Extents[level]), [accumulator], (i, carried) => InScope<LLVMValueRef[]>(() =>
        {
            Bind(reduce.Vars[level], i);
            return [Nest(reduce, level + 1, carried[0])];
        }))[0];
    }

    // The innermost loop of a sum with SumLanes partial sums (see SumLanes).
    private LLVMValueRef LaneSum(Reduce reduce, int level, LLVMValueRef accumulator)
    {
        var var = reduce.Vars[level];
        var (sum, groups, extent) = LaneGroups(reduce, level, LLVM.ConstNull(e.Vector(e.F32, SumLanes)), e.FAdd);
        // The accumulator is never −0 (sums start at +0), so adding the +0 of no groups keeps its bits.
        var grouped = e.FAdd(accumulator, sum);
        return e.For(e.Mul(groups, e.Int(SumLanes)), extent, [grouped], (i, carried) => InScope<LLVMValueRef[]>(() =>
        {
            Bind(var, i);
            return [e.FAdd(carried[0], Emit(reduce.Body))];
        }))[0];
    }

    // The innermost loop of a maximum in SumLanes lanes, each the maximum of every SumLanes-th
    // term (one long chain of compares would run at their latency). Lanes, accumulator and the
    // terms left over give the plain loop's value whenever the maximum is neither zero nor NaN:
    // it is then one value with one bit pattern, whatever the order. A zero (+0 and −0 tie, and
    // the plain loop keeps the first) or a NaN (which one) runs the plain loop again, so the bits
    // are always the plain loop's.
    private LLVMValueRef LaneMax(Reduce reduce, int level, LLVMValueRef accumulator)
    {
        var var = reduce.Vars[level];
        // FMax(newer, older): the operand order the lanes' bits were pinned with.
        var (maximum, groups, extent) = LaneGroups(reduce, level, e.Splat(ReductionIdentity(ReduceKind.Max), SumLanes), (older, newer) => e.FMax(newer, older));
        LLVMValueRef Plain(LLVMValueRef from, LLVMValueRef to, LLVMValueRef start) => e.For(from, to, [start], (i, carried) => InScope<LLVMValueRef[]>(() =>
        {
            Bind(var, i);
            return [Combine(ReduceKind.Max, carried[0], Emit(reduce.Body))];
        }))[0];
        var lanesMaximum = Plain(e.Mul(groups, e.Int(SumLanes)), extent, Combine(ReduceKind.Max, accumulator, maximum));
        var again = e.And(
            e.ICmp(LLVMIntPredicate.LLVMIntSGT, groups, e.Int(0)),
            e.Or(e.FCmp(LLVMRealPredicate.OEQ, lanesMaximum, e.Float(0)), e.IsNaN(lanesMaximum)));
        return e.Select(again, Plain(e.Int(0), e.Select(again, extent, e.Int(0)), accumulator), lanesMaximum);
    }

    // The whole groups of SumLanes terms of the innermost loop of a reduction: lane i combines
    // every SumLanes-th term into its lane of start, then the lanes combine pairwise
    // (lane i with lane i + width, halving the width) into one value. combine(a, b) takes the
    // running value first (a lane's partial, the lower lane); also returns the number of groups
    // and the loop's extent, for the terms left over.
    private (LLVMValueRef Value, LLVMValueRef Groups, LLVMValueRef Extent) LaneGroups(
        Reduce reduce, int level, LLVMValueRef start, Func<LLVMValueRef, LLVMValueRef, LLVMValueRef> combine)
    {
        var var = reduce.Vars[level];
        var extent = Emit(reduce.Extents[level]);
        var groups = e.UDiv(extent, e.Int(SumLanes)); // an extent is a size, ≥ 0
        var lanes = e.For(e.Int(0), groups, [start], (group, partial) =>
        {
            var first = e.Mul(group, e.Int(SumLanes));
            var terms = LLVM.GetUndef(e.Vector(e.F32, SumLanes));
            for (var lane = 0; lane < SumLanes; lane++)
            {
                var term = InScope(() =>
                {
                    Bind(var, e.Add(first, e.Int(lane)));
                    return Emit(reduce.Body);
                });
                terms = e.InsertLane(terms, term, lane);
            }
            return [combine(partial[0], terms)];
        })[0];
        var values = Enumerable.Range(0, SumLanes).Select(lane => e.ExtractLane(lanes, lane)).ToArray();
        for (var width = SumLanes / 2; width >= 1; width /= 2)
        {
            values = [.. Enumerable.Range(0, width).Select(lane => combine(values[lane], values[lane + width]))];
        }
        return (values[0], groups, extent);
    }

    // An enum member this emitter does not know: a kind added to the IR without its code here.
    private static InvalidOperationException Unknown<T>(T value)
        where T : struct, Enum => new($"the CPU code generator has no code for {typeof(T).Name} {value}");
}
