using ModelC.Backend.Kernels;
using ModelC.Compiler.IR.Ops;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// The test "every value is finite" as a train step writes it (<c>Σ(x·0) + … == 0</c>), emitted as
/// one call of <see cref="FiniteCheckRoutine"/> per whole buffer instead of one reduction loop per
/// buffer. x·0 is ±0 for finite x and NaN otherwise, so a sum of such terms (and sums of those
/// sums) is ±0 or NaN, and equals 0 exactly when no term is NaN: the comparison is the
/// conjunction of "no NaN" over its terms, in any order. A term that sums x·0 over every element
/// of a buffer in its own order (directly, or through a reshape that merged axes) is "the buffer
/// holds no infinity or NaN", which the routine tests on the buffer's memory; any other term is
/// emitted as it is and compared with 0. Only the comparison's boolean is replaced, never a sum's
/// bits, so the value is the plain code's exactly.
/// </summary>
internal static class FiniteCheck
{
    /// <summary>Whether <paramref name="kernel"/> calls the routine (its support, <see cref="CpuTarget.SupportOf"/>).</summary>
    public static bool CallsRoutine(MapKernel kernel) => kernel.Results.Any(result => CallsRoutine(result.Body));

    /// <summary>Whether <paramref name="compare"/> is a finite check that the routine serves.</summary>
    public static bool Matches(Compare compare) => Terms(compare) is { } terms && terms.Any(term => WholeBuffer(term) is not null);

    /// <summary>Emits <paramref name="compare"/>, which <see cref="Matches"/>, as a conjunction of routine calls and NaN tests.</summary>
    public static LLVMValueRef Emit(LlvmEmitter e, ExprEmitter x, Compare compare)
    {
        var type = e.FunctionType(e.I1, e.Ptr, e.I64);
        var routine = SupportFunction.Declare(e, FiniteCheckRoutine.Instance, type);
        LLVMValueRef? all = null;
        foreach (var term in Terms(compare)!)
        {
            var finite = WholeBuffer(term) is { } load
                ? e.Call(type, routine, x.Address(load.Buffer, [.. load.Indices.Select(_ => IndexMath.Const(0))]), e.Int(Count(load.Buffer)))
                : e.FCmp(LLVMRealPredicate.OEQ, x.Emit(term), e.Float(0)); // ±0 or NaN: equal to 0 unless NaN
            all = all is { } previous ? e.And(previous, finite) : finite;
        }
        return all!.Value;
    }

    /// <summary>Defines the routine in the module: an or-reduction of "exponent all ones" over the floats' bits, which LLVM vectorises.</summary>
    public static void Define(LlvmEmitter e)
    {
        var function = e.AddFunction(FiniteCheckRoutine.Instance.Name, e.FunctionType(e.I1, e.Ptr, e.I64));
        LLVM.SetVisibility(function, LLVMVisibility.Hidden);
        e.AddFunctionAttribute(function, "nounwind");
        e.PositionAtEnd(e.AppendBlock(function, "entry"));
        var (data, count) = (LLVM.GetParam(function, 0), LLVM.GetParam(function, 1));
        var exponent = e.Int32(0x7f800000);
        var nonFinite = e.For(e.Int(0), count, [e.Int32(0)], (i, found) =>
        {
            var bits = e.Load(e.I32, e.Gep(e.I32, data, i));
            var infiniteOrNaN = e.ICmp(LLVMIntPredicate.LLVMIntEQ, e.And(bits, exponent), exponent);
            return [e.Or(found[0], e.ZExt(infiniteOrNaN, e.I32))];
        })[0];
        LLVM.BuildRet(e.Builder, e.ICmp(LLVMIntPredicate.LLVMIntEQ, nonFinite, e.Int32(0)));
    }

    private static bool CallsRoutine(Expr expr) =>
        (expr is Compare compare && Matches(compare)) || ExprWalker.Children(expr).Any(CallsRoutine);

    // The terms of a finite check (x == 0 or 0 == x, x a sum of zero-or-NaN terms), or null.
    private static List<Expr>? Terms(Compare compare)
    {
        if (compare.Kind != CompareKind.Eq || compare.Left.Type != ScalarType.F32)
        {
            return null;
        }
        var sum = IsZero(compare.Right) ? compare.Left : IsZero(compare.Left) ? compare.Right : null;
        var terms = new List<Expr>();
        return sum is not null && CollectTerms(sum, terms) ? terms : null;
    }

    // Adds the terms of an addition tree whose leaves are zero or NaN; false when a leaf may be neither.
    private static bool CollectTerms(Expr expr, List<Expr> terms)
    {
        if (expr is Binary { Kind: BinaryKind.Add } add)
        {
            return CollectTerms(add.Left, terms) && CollectTerms(add.Right, terms);
        }
        terms.Add(expr);
        return IsZeroOrNaN(expr);
    }

    // x·0 for a float x, or a sum of such values (a sum starts from +0 and never overflows).
    private static bool IsZeroOrNaN(Expr expr) => expr switch
    {
        Binary { Kind: BinaryKind.Mul, Type: ScalarType.F32 } product => IsZero(product.Left) || IsZero(product.Right),
        Binary { Kind: BinaryKind.Add } sum => IsZeroOrNaN(sum.Left) && IsZeroOrNaN(sum.Right),
        Reduce { Kind: ReduceKind.Sum } reduce => IsZeroOrNaN(reduce.Body),
        _ => false,
    };

    private static bool IsZero(Expr expr) => expr is Constant { ValueType: ScalarType.F32, Value: 0 };

    // The load of a term Σ x·0 whose x is every element of one float buffer of fixed shape, each
    // once; null for any other term.
    private static Load? WholeBuffer(Expr term)
    {
        if (term is not Reduce { Kind: ReduceKind.Sum, Body: Binary { Kind: BinaryKind.Mul } product } reduce)
        {
            return null;
        }
        var operand = IsZero(product.Right) ? product.Left : IsZero(product.Left) ? product.Right : null;
        return operand is Load { Type: ScalarType.F32, Indices.Length: > 0 } load && load.Buffer.Shape.All(d => d.IsFixed) && ReadsInOrder(load, reduce) ? load : null;
    }

    // Whether the reduction's variables read the buffer in its own order: each variable in turn
    // indexes a run of the buffer's axes whose sizes multiply to its extent, as the digits of a
    // row-major split of the variable — v itself for a run of one axis; for a longer one v / D on
    // its first axis and (v / D) mod size on the others, D the product of the sizes after the axis
    // (what a reshape that merged those axes reads: a convolution's weight gradient read as
    // [out, in · kh · kw], which was 20 loop nests of divisions in ResNet18's train step).
    private static bool ReadsInOrder(Load load, Reduce reduce)
    {
        var shape = load.Buffer.Shape;
        var axis = 0;
        for (var j = 0; j < reduce.Vars.Length; j++)
        {
            if (reduce.Extents[j] is not IndexConst { Value: var extent } || axis == shape.Length)
            {
                return false;
            }
            var first = axis;
            var size = 1L;
            do
            {
                size *= shape[axis++].FixedSize;
            }
            while (size < extent && axis < shape.Length);
            if (size != extent)
            {
                return false;
            }
            var after = 1L;
            for (var a = axis - 1; a >= first; a--)
            {
                var index = load.Indices[a];
                var digit = (shape[a].FixedSize == 1 && index is IndexConst { Value: 0 }) || (a == first
                    ? IsQuotient(index, reduce.Vars[j], after)
                    : index is IndexBinary { Op: IndexOp.Rem, Left: var q, Right: IndexConst { Value: var m } } && m == shape[a].FixedSize && IsQuotient(q, reduce.Vars[j], after));
                if (!digit)
                {
                    return false;
                }
                after *= shape[a].FixedSize;
            }
        }
        return axis == shape.Length;
    }

    // Whether `index` is v / divisor, as nested divisions by constants (v itself for 1); v ≥ 0, so (v / a) / b = v / (a · b).
    private static bool IsQuotient(Expr index, LoopVar v, long divisor) => index switch
    {
        LoopVar w => w.Equals(v) && divisor == 1,
        IndexBinary { Op: IndexOp.Div, Left: var inner, Right: IndexConst { Value: > 0 and var d } } => divisor % d == 0 && IsQuotient(inner, v, divisor / d),
        _ => false,
    };

    private static long Count(KernelBuffer buffer) => buffer.Shape.Aggregate(1L, (product, dim) => product * dim.FixedSize);
}
