using System.Text;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// A thin typed layer over an LLVM builder for one module: constants, arithmetic, intrinsics,
/// and loops with loop-carried values. Everything code generation emits goes through it, so the
/// emitters read as the loop nests they build.
/// </summary>
internal sealed unsafe class LlvmEmitter
{
    private readonly Dictionary<string, (LLVMTypeRef Type, LLVMValueRef Function)> _intrinsics = [];

    // False inside WithoutUnrolling: loops are marked llvm.loop.unroll.disable.
    private bool _unrolling = true;

    // True inside Vectorised: loops are marked llvm.loop.vectorize.enable.
    private bool _forcingVectors;

    public LlvmEmitter(LLVMContextRef context, LLVMModuleRef module, LLVMBuilderRef builder)
    {
        Context = context;
        Module = module;
        Builder = builder;
        F32 = LLVM.FloatTypeInContext(context);
        I1 = LLVM.Int1TypeInContext(context);
        I8 = LLVM.Int8TypeInContext(context);
        I32 = LLVM.Int32TypeInContext(context);
        I64 = LLVM.Int64TypeInContext(context);
        Ptr = LLVM.PointerTypeInContext(context, 0);
        Void = LLVM.VoidTypeInContext(context);
    }

    public LLVMContextRef Context { get; }

    public LLVMModuleRef Module { get; }

    public LLVMBuilderRef Builder { get; }

    public LLVMTypeRef F32 { get; }

    public LLVMTypeRef I1 { get; }

    public LLVMTypeRef I8 { get; }

    public LLVMTypeRef I32 { get; }

    public LLVMTypeRef I64 { get; }

    public LLVMTypeRef Ptr { get; }

    public LLVMTypeRef Void { get; }

    // ---- functions and blocks

    public LLVMTypeRef FunctionType(LLVMTypeRef result, params LLVMTypeRef[] parameters)
    {
        fixed (LLVMTypeRef* p = parameters)
        {
            return LLVM.FunctionType(result, p, (uint)parameters.Length, 0);
        }
    }

    public LLVMValueRef AddFunction(string name, LLVMTypeRef type) => LLVM.AddFunction(Module, name, type);

    public void AddFunctionAttribute(LLVMValueRef function, string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name);
        fixed (byte* p = bytes)
        {
            var kind = LLVM.GetEnumAttributeKindForName(p, (nuint)bytes.Length);
            LLVM.AddAttributeAtIndex(function, uint.MaxValue, LLVM.CreateEnumAttribute(Context, kind, 0));
        }
    }

    /// <summary>Sets the string attribute <paramref name="key"/>=<paramref name="value"/> on every function of the module.</summary>
    public void SetAttributeOnAllFunctions(string key, string value)
    {
        var k = Encoding.ASCII.GetBytes(key);
        var v = Encoding.ASCII.GetBytes(value);
        fixed (byte* pk = k)
        fixed (byte* pv = v)
        {
            for (var f = LLVM.GetFirstFunction(Module); f.Handle != 0; f = LLVM.GetNextFunction(f))
            {
                LLVM.AddAttributeAtIndex(f, uint.MaxValue, LLVM.CreateStringAttribute(Context, pk, (uint)k.Length, pv, (uint)v.Length));
            }
        }
    }

    public LLVMBasicBlockRef AppendBlock(LLVMValueRef function, string name) => LLVM.AppendBasicBlockInContext(Context, function, name);

    public void PositionAtEnd(LLVMBasicBlockRef block) => LLVM.PositionBuilderAtEnd(Builder, block);

    private LLVMValueRef CurrentFunction => LLVM.GetBasicBlockParent(LLVM.GetInsertBlock(Builder));

    // ---- constants

    public LLVMValueRef Int(long value) => LLVM.ConstInt(I64, unchecked((ulong)value), 1);

    public LLVMValueRef Int32(int value) => LLVM.ConstInt(I32, unchecked((ulong)value), 1);

    public LLVMValueRef Float(double value) => LLVM.ConstReal(F32, value);

    public LLVMValueRef Bool(bool value) => LLVM.ConstInt(I1, value ? 1UL : 0UL, 0);

    // ---- arithmetic (names as in LLVM IR)

    public LLVMValueRef Add(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildNSWAdd(Builder, a, b, "");

    public LLVMValueRef WrappingAdd(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildAdd(Builder, a, b, "");

    public LLVMValueRef Sub(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildSub(Builder, a, b, "");

    public LLVMValueRef Mul(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildNSWMul(Builder, a, b, "");

    public LLVMValueRef WrappingMul(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildMul(Builder, a, b, "");

    public LLVMValueRef SDiv(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildSDiv(Builder, a, b, "");

    public LLVMValueRef SRem(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildSRem(Builder, a, b, "");

    public LLVMValueRef UDiv(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildUDiv(Builder, a, b, "");

    public LLVMValueRef URem(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildURem(Builder, a, b, "");

    public LLVMValueRef And(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildAnd(Builder, a, b, "");

    public LLVMValueRef Or(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildOr(Builder, a, b, "");

    public LLVMValueRef Shl(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildShl(Builder, a, b, "");

    public LLVMValueRef LShr(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildLShr(Builder, a, b, "");

    public LLVMValueRef AShr(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildAShr(Builder, a, b, "");

    public LLVMValueRef ICmp(LLVMIntPredicate predicate, LLVMValueRef a, LLVMValueRef b) => LLVM.BuildICmp(Builder, predicate, a, b, "");

    public LLVMValueRef SMin(LLVMValueRef a, LLVMValueRef b) => Select(ICmp(LLVMIntPredicate.LLVMIntSLT, a, b), a, b);

    public LLVMValueRef SMax(LLVMValueRef a, LLVMValueRef b) => Select(ICmp(LLVMIntPredicate.LLVMIntSGT, a, b), a, b);

    public LLVMValueRef FAdd(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildFAdd(Builder, a, b, "");

    public LLVMValueRef FSub(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildFSub(Builder, a, b, "");

    public LLVMValueRef FMul(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildFMul(Builder, a, b, "");

    public LLVMValueRef FDiv(LLVMValueRef a, LLVMValueRef b) => LLVM.BuildFDiv(Builder, a, b, "");

    public LLVMValueRef FNeg(LLVMValueRef a) => LLVM.BuildFNeg(Builder, a, "");

    public LLVMValueRef FCmp(LLVMRealPredicate predicate, LLVMValueRef a, LLVMValueRef b) => LLVM.BuildFCmp(Builder, predicate, a, b, "");

    /// <summary>True where a is NaN.</summary>
    public LLVMValueRef IsNaN(LLVMValueRef a) => LLVM.BuildFCmp(Builder, LLVMRealPredicate.UNO, a, a, "");

    public LLVMValueRef Select(LLVMValueRef condition, LLVMValueRef then, LLVMValueRef otherwise) =>
        LLVM.BuildSelect(Builder, condition, then, otherwise, "");

    /// <summary>max(a, b) that propagates NaN from either side, like the reference interpreter.</summary>
    public LLVMValueRef FMax(LLVMValueRef a, LLVMValueRef b) => NaNFromFirst(a, Select(FCmp(LLVMRealPredicate.OGT, a, b), a, b));

    /// <summary>min(a, b) that propagates NaN from either side.</summary>
    public LLVMValueRef FMin(LLVMValueRef a, LLVMValueRef b) => NaNFromFirst(a, Select(FCmp(LLVMRealPredicate.OLT, a, b), a, b));

    // a where a is NaN, else picked (which already is b where b is NaN: an ordered compare is false).
    // Selecting picked where a is ordered, rather than a where it is NaN, keeps the two selects apart:
    // InstCombine folds select(c1, a, select(c2, a, b)) into select(c1 | c2, a, b), and x86 lowers a
    // scalar select on such a disjunction to a branch (a vmovd of the mask, test, jne) per term,
    // where this is vmaxss (or vminss), vcmpordss and vblendvps.
    private LLVMValueRef NaNFromFirst(LLVMValueRef a, LLVMValueRef picked) =>
        Select(FCmp(LLVMRealPredicate.ORD, a, a), picked, a);

    // ---- conversions

    public LLVMValueRef SIToFP(LLVMValueRef a, LLVMTypeRef type) => LLVM.BuildSIToFP(Builder, a, type, "");

    public LLVMValueRef UIToFP(LLVMValueRef a, LLVMTypeRef type) => LLVM.BuildUIToFP(Builder, a, type, "");

    public LLVMValueRef ZExt(LLVMValueRef a, LLVMTypeRef type) => LLVM.BuildZExt(Builder, a, type, "");

    public LLVMValueRef SExt(LLVMValueRef a, LLVMTypeRef type) => LLVM.BuildSExt(Builder, a, type, "");

    public LLVMValueRef Trunc(LLVMValueRef a, LLVMTypeRef type) => LLVM.BuildTrunc(Builder, a, type, "");

    public LLVMValueRef BitCast(LLVMValueRef a, LLVMTypeRef type) => LLVM.BuildBitCast(Builder, a, type, "");

    // ---- memory

    public LLVMValueRef Gep(LLVMTypeRef element, LLVMValueRef pointer, LLVMValueRef index)
    {
        var indices = stackalloc LLVMValueRef[1] { index };
        return LLVM.BuildGEP2(Builder, element, pointer, indices, 1, "");
    }

    public LLVMValueRef Load(LLVMTypeRef type, LLVMValueRef pointer, uint alignment = 0)
    {
        var load = LLVM.BuildLoad2(Builder, type, pointer, "");
        if (alignment != 0)
        {
            LLVM.SetAlignment(load, alignment);
        }
        return load;
    }

    public void Store(LLVMValueRef value, LLVMValueRef pointer, uint alignment = 0)
    {
        var store = LLVM.BuildStore(Builder, value, pointer);
        if (alignment != 0)
        {
            LLVM.SetAlignment(store, alignment);
        }
    }

    // ---- calls

    public LLVMValueRef Call(LLVMTypeRef type, LLVMValueRef function, params LLVMValueRef[] arguments)
    {
        fixed (LLVMValueRef* a = arguments)
        {
            return LLVM.BuildCall2(Builder, type, function, a, (uint)arguments.Length, "");
        }
    }

    /// <summary>Calls intrinsic <paramref name="name"/> (e.g. <c>llvm.fma.f32</c>), declaring it on first use.</summary>
    public LLVMValueRef CallIntrinsic(string name, LLVMTypeRef result, params LLVMValueRef[] arguments)
    {
        if (!_intrinsics.TryGetValue(name, out var intrinsic))
        {
            var type = FunctionType(result, [.. arguments.Select(LLVM.TypeOf)]);
            intrinsic = (type, AddFunction(name, type));
            _intrinsics[name] = intrinsic;
        }
        return Call(intrinsic.Type, intrinsic.Function, arguments);
    }

    // ---- vectors

    public LLVMTypeRef Vector(LLVMTypeRef element, int lanes) => LLVM.VectorType(element, (uint)lanes);

    /// <summary>A vector with every lane equal to <paramref name="scalar"/>.</summary>
    public LLVMValueRef Splat(LLVMValueRef scalar, int lanes)
    {
        var vectorType = Vector(LLVM.TypeOf(scalar), lanes);
        var single = LLVM.BuildInsertElement(Builder, LLVM.GetUndef(vectorType), scalar, Int32(0), "");
        return LLVM.BuildShuffleVector(Builder, single, LLVM.GetUndef(vectorType), LLVM.ConstNull(Vector(I32, lanes)), "");
    }

    /// <summary><paramref name="vector"/> with lane <paramref name="lane"/> set to <paramref name="scalar"/>.</summary>
    public LLVMValueRef InsertLane(LLVMValueRef vector, LLVMValueRef scalar, int lane) =>
        LLVM.BuildInsertElement(Builder, vector, scalar, Int32(lane), "");

    /// <summary>Lane <paramref name="lane"/> of <paramref name="vector"/>.</summary>
    public LLVMValueRef ExtractLane(LLVMValueRef vector, int lane) => LLVM.BuildExtractElement(Builder, vector, Int32(lane), "");

    // ---- control flow

    /// <summary>
    /// Emits <c>for (i = start; i &lt; end; i++)</c> with loop-carried values: <paramref name="body"/>
    /// receives i and the current values and returns the next ones; the final values are returned.
    /// The builder is left after the loop.
    /// </summary>
    public LLVMValueRef[] For(LLVMValueRef start, LLVMValueRef end, LLVMValueRef[] carried, Func<LLVMValueRef, LLVMValueRef[], LLVMValueRef[]> body)
    {
        var function = CurrentFunction;
        var entry = LLVM.GetInsertBlock(Builder);
        var header = AppendBlock(function, "loop");
        var bodyBlock = AppendBlock(function, "body");
        var exit = AppendBlock(function, "done");
        LLVM.BuildBr(Builder, header);

        PositionAtEnd(header);
        var index = LLVM.BuildPhi(Builder, I64, "i");
        var values = carried.Select(c => LLVM.BuildPhi(Builder, LLVM.TypeOf(c), "")).ToArray();
        LLVM.BuildCondBr(Builder, ICmp(LLVMIntPredicate.LLVMIntSLT, index, end), bodyBlock, exit);

        PositionAtEnd(bodyBlock);
        var next = body(index, values);
        var latch = LLVM.GetInsertBlock(Builder);
        var incremented = Add(index, Int(1));
        var backEdge = LLVM.BuildBr(Builder, header);
        if (!_unrolling || _forcingVectors)
        {
            LLVM.SetMetadata(backEdge, LoopKind(), LLVM.MetadataAsValue(Context, LoopId()));
        }

        AddIncoming(index, start, entry, incremented, latch);
        for (var i = 0; i < values.Length; i++)
        {
            AddIncoming(values[i], carried[i], entry, next[i], latch);
        }
        PositionAtEnd(exit);
        return values;
    }

    /// <summary><see cref="For(LLVMValueRef, LLVMValueRef, LLVMValueRef[], Func{LLVMValueRef, LLVMValueRef[], LLVMValueRef[]})"/> without carried values.</summary>
    public void For(LLVMValueRef start, LLVMValueRef end, Action<LLVMValueRef> body) =>
        For(start, end, [], (i, _) =>
        {
            body(i);
            return [];
        });

    /// <summary>
    /// Emits <paramref name="emit"/> with every loop it emits marked <c>llvm.loop.unroll.disable</c>:
    /// for loops whose iterations are costly on their own (calls, packing, epilogues), where
    /// unrolling only adds code for LLVM to optimise and select (it was the bulk of a GEMM
    /// kernel's compile time). Vectorisation is untouched.
    /// </summary>
    public void WithoutUnrolling(Action emit) => With(ref _unrolling, false, emit);

    /// <summary>
    /// Emits <paramref name="emit"/> with every loop it emits marked <c>llvm.loop.vectorize.enable</c>:
    /// for loops of fewer iterations than LLVM's tiny-trip-count threshold (16), which it
    /// vectorises only where no scalar remainder is left, but whose vector iterations still pay.
    /// </summary>
    public void Vectorised(Action emit) => With(ref _forcingVectors, true, emit);

    // Runs emit with a loop-hint flag set to value, restoring it afterwards.
    private static void With(ref bool flag, bool value, Action emit)
    {
        var saved = flag;
        flag = value;
        try
        {
            emit();
        }
        finally
        {
            flag = saved;
        }
    }

    private uint LoopKind()
    {
        var name = "llvm.loop"u8;
        fixed (byte* p = name)
        {
            return LLVM.GetMDKindIDInContext(Context, p, (uint)name.Length);
        }
    }

    // A loop ID is distinct per loop and refers to itself first: a node over a temporary becomes
    // such a node when the temporary is replaced by it (see LLVM.Metadata). Its hints: the
    // emitter's current unroll.disable and vectorize.enable.
    private LLVMMetadataRef LoopId()
    {
        var hints = new List<LLVMMetadataRef>();
        if (!_unrolling)
        {
            hints.Add(Hint("llvm.loop.unroll.disable"u8, null));
        }
        if (_forcingVectors)
        {
            hints.Add(Hint("llvm.loop.vectorize.enable"u8, LLVM.ValueAsMetadata(LLVM.ConstInt(LLVM.Int1TypeInContext(Context), 1, 0))));
        }
        var temporary = LLVM.TemporaryMDNode(Context, null, 0);
        var operands = stackalloc LLVMMetadataRef[1 + hints.Count];
        operands[0] = temporary;
        for (var i = 0; i < hints.Count; i++)
        {
            operands[1 + i] = hints[i];
        }
        var id = LLVM.MDNodeInContext2(Context, operands, (nuint)(1 + hints.Count));
        LLVM.MetadataReplaceAllUsesWith(temporary, id);
        return id;
    }

    // A hint node: its name, then its value where it has one.
    private LLVMMetadataRef Hint(ReadOnlySpan<byte> name, LLVMMetadataRef? value)
    {
        fixed (byte* p = name)
        {
            var operands = stackalloc LLVMMetadataRef[2];
            operands[0] = LLVM.MDStringInContext2(Context, p, (nuint)name.Length);
            if (value is { } v)
            {
                operands[1] = v;
            }
            return LLVM.MDNodeInContext2(Context, operands, value is null ? 1u : 2u);
        }
    }

    /// <summary>Emits <c>if (condition) { then }</c>; the builder is left after it.</summary>
    public void If(LLVMValueRef condition, Action then)
    {
        var function = CurrentFunction;
        var thenBlock = AppendBlock(function, "then");
        var after = AppendBlock(function, "endif");
        LLVM.BuildCondBr(Builder, condition, thenBlock, after);
        PositionAtEnd(thenBlock);
        then();
        LLVM.BuildBr(Builder, after);
        PositionAtEnd(after);
    }

    /// <summary>
    /// Emits <c>if (condition) { then } else { otherwise }</c>, each branch returning values of the
    /// same types, in the same order; returns them merged (one phi each). The builder is left after it.
    /// </summary>
    public LLVMValueRef[] IfElse(LLVMValueRef condition, Func<LLVMValueRef[]> then, Func<LLVMValueRef[]> otherwise)
    {
        var function = CurrentFunction;
        var thenBlock = AppendBlock(function, "then");
        var elseBlock = AppendBlock(function, "else");
        var after = AppendBlock(function, "endif");
        LLVM.BuildCondBr(Builder, condition, thenBlock, elseBlock);

        PositionAtEnd(thenBlock);
        var thenValues = then();
        var thenEnd = LLVM.GetInsertBlock(Builder);
        LLVM.BuildBr(Builder, after);

        PositionAtEnd(elseBlock);
        var elseValues = otherwise();
        var elseEnd = LLVM.GetInsertBlock(Builder);
        LLVM.BuildBr(Builder, after);

        PositionAtEnd(after);
        var merged = new LLVMValueRef[thenValues.Length];
        for (var i = 0; i < merged.Length; i++)
        {
            merged[i] = LLVM.BuildPhi(Builder, LLVM.TypeOf(thenValues[i]), "");
            AddIncoming(merged[i], thenValues[i], thenEnd, elseValues[i], elseEnd);
        }
        return merged;
    }

    /// <summary><see cref="IfElse(LLVMValueRef, Func{LLVMValueRef[]}, Func{LLVMValueRef[]})"/> without values.</summary>
    public void IfElse(LLVMValueRef condition, Action then, Action otherwise) =>
        IfElse(condition, () =>
        {
            then();
            return [];
        }, () =>
        {
            otherwise();
            return [];
        });

    private static void AddIncoming(LLVMValueRef phi, LLVMValueRef first, LLVMBasicBlockRef firstBlock, LLVMValueRef second, LLVMBasicBlockRef secondBlock)
    {
        var values = stackalloc LLVMValueRef[2] { first, second };
        var blocks = stackalloc LLVMBasicBlockRef[2] { firstBlock, secondBlock };
        LLVM.AddIncoming(phi, values, blocks, 2);
    }
}
