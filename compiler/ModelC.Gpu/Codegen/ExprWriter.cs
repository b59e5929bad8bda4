using System.Globalization;
using ModelC.Backend.Kernels;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Gpu.Codegen;

/// <summary>
/// Writes kernel expressions as C# for an ILGPU kernel, with the CPU backend's semantics
/// (compiler/ModelC.Backend/Cpu/ExprEmitter.cs): indices are <c>long</c>, f32 <c>float</c>, i32
/// <c>int</c>, bools <c>bool</c> (a byte in memory); element functions call
/// <c>ModelC.Gpu.Runtime.KernelMath</c>. An expression becomes one C# expression, except that a
/// reduction writes its loops as statements before it and is read from a temporary; sums add
/// their terms in order. Loop variables are named <c>v{id}</c>; the caller declares the ones it binds.
/// </summary>
internal sealed class ExprWriter(SourceBuilder code, IReadOnlyDictionary<int, string> bufferNames, IReadOnlyList<string> symbolNames)
{
    private const string Math = "KernelMath";

    /// <summary>What <see cref="Accumulator"/> reads (a GEMM epilogue's sum).</summary>
    public string? AccumulatorName { get; set; }

    /// <summary>The C# name of a loop variable.</summary>
    public static string NameOf(LoopVar var) => var.Id < 0 ? $"vm{-(long)var.Id}" : $"v{var.Id}";

    /// <summary>The C# name of symbolic dimension <paramref name="symbol"/>'s value.</summary>
    public static string SymbolName(int symbol) => $"s{symbol}";

    /// <summary>The C# element type of a kernel scalar type in registers.</summary>
    public static string TypeOf(ScalarType type) => type switch
    {
        ScalarType.F32 => "float",
        ScalarType.I32 => "int",
        ScalarType.Bool => "bool",
        ScalarType.Index => "long",
        _ => throw Unknown(type),
    };

    /// <summary>The element position of <paramref name="indices"/> in <paramref name="buffer"/>, row-major.</summary>
    public string Offset(KernelBuffer buffer, IReadOnlyList<Expr> indices) =>
        Write(IndexMath.Linearize(indices, [.. buffer.Shape.Select(d => IndexMath.Size(d, symbolNames))]));

    /// <summary>The statement storing <paramref name="value"/> (of the buffer's scalar type) at element <paramref name="offset"/>.</summary>
    public string Store(KernelBuffer buffer, string offset, string value) =>
        buffer.ScalarType == ScalarType.Bool ? $"{bufferNames[buffer.Id]}[{offset}] = (byte)({value} ? 1 : 0);" : $"{bufferNames[buffer.Id]}[{offset}] = {value};";

    /// <summary>The C# expression of <paramref name="expr"/>; reductions in it are written as statements first.</summary>
    public string Write(Expr expr) => expr switch
    {
        LoopVar v => NameOf(v),
        IndexConst c => $"{c.Value}L",
        SymbolValue s => SymbolName(s.Symbol),
        IndexBinary b => IndexArithmetic(b),
        Constant c => ConstantOf(c),
        Load l => LoadOf(l),
        Unary u => u.Type switch
        {
            ScalarType.F32 => FloatUnary(u.Kind, Write(u.Operand)),
            ScalarType.I32 => IntUnary(u.Kind, Write(u.Operand)),
            _ => throw new InvalidOperationException($"no {u.Kind} on {u.Type}"),
        },
        Binary b => b.Type switch
        {
            ScalarType.F32 => FloatBinary(b, Write(b.Left), Write(b.Right)),
            ScalarType.I32 => IntBinary(b.Kind, Write(b.Left), Write(b.Right)),
            _ => throw new InvalidOperationException($"no {b.Kind} on {b.Type}"),
        },
        Compare c => Comparison(c.Kind, c.Left.Type, Write(c.Left), Write(c.Right)),
        Select s => $"({Write(s.Condition)} ? {Write(s.Then)} : {Write(s.Otherwise)})",
        Cast c => Conversion(c.Operand.Type, c.To, Write(c.Operand)),
        Reduce r => Reduction(r),
        Accumulator => AccumulatorName ?? throw new InvalidOperationException("the accumulator is only defined in a GEMM epilogue"),
        _ => throw new InvalidOperationException($"cannot write {expr.GetType().Name}"),
    };

    private string IndexArithmetic(IndexBinary b)
    {
        var (x, y) = (Write(b.Left), Write(b.Right));
        return b.Op switch
        {
            IndexOp.Add => $"({x} + {y})",
            IndexOp.Sub => $"({x} - {y})",
            IndexOp.Mul => $"({x} * {y})",
            IndexOp.Div => $"({x} / {y})",
            IndexOp.Rem => $"({x} % {y})",
            IndexOp.Min => $"{Math}.Min({x}, {y})",
            IndexOp.Max => $"{Math}.Max({x}, {y})",
            _ => throw Unknown(b.Op),
        };
    }

    private static string ConstantOf(Constant c) => c.ValueType switch
    {
        ScalarType.F32 => FloatLiteral((float)c.Value),
        ScalarType.I32 => $"({(int)c.Value})",
        ScalarType.Bool => c.Value != 0 ? "true" : "false",
        ScalarType.Index => $"({(long)c.Value}L)",
        _ => throw Unknown(c.ValueType),
    };

    /// <summary>A float literal with exactly the value's bits (−0, infinities and NaN included).</summary>
    public static string FloatLiteral(float value) =>
        float.IsNaN(value) ? "float.NaN"
        : float.IsPositiveInfinity(value) ? "float.PositiveInfinity"
        : float.IsNegativeInfinity(value) ? "float.NegativeInfinity"
        : value == 0 && float.IsNegative(value) ? "(-0f)"
        : $"({value.ToString("R", CultureInfo.InvariantCulture)}f)";

    private string LoadOf(Load load)
    {
        var element = $"{bufferNames[load.Buffer.Id]}[{Offset(load.Buffer, load.Indices)}]";
        return load.Type == ScalarType.Bool ? $"({element} != 0)" : element;
    }

    private static string FloatUnary(UnaryKind kind, string x) => kind switch
    {
        UnaryKind.Neg => $"(-{x})",
        UnaryKind.Exp => $"{Math}.Exp({x})",
        UnaryKind.Log => $"{Math}.Log({x})",
        UnaryKind.Sqrt => $"{Math}.Sqrt({x})",
        UnaryKind.Reciprocal => $"(1f / {x})",
        UnaryKind.Tanh => $"{Math}.Tanh({x})",
        UnaryKind.Erf => $"{Math}.Erf({x})",
        UnaryKind.Sin => $"{Math}.Sin({x})",
        UnaryKind.Cos => $"{Math}.Cos({x})",
        UnaryKind.Abs => $"{Math}.Abs({x})",
        UnaryKind.Sign => $"{Math}.Sign({x})",
        _ => throw Unknown(kind),
    };

    private static string IntUnary(UnaryKind kind, string x) => kind switch
    {
        UnaryKind.Neg => $"unchecked(-{x})",
        UnaryKind.Abs => $"{Math}.Abs({x})",
        UnaryKind.Sign => $"{Math}.Sign({x})",
        _ when kind.IsFloatOnly() =>
            throw new InvalidOperationException($"{kind} is not defined on i32"),
        _ => throw Unknown(kind),
    };

    private static string FloatBinary(Binary b, string x, string y) => b.Kind switch
    {
        BinaryKind.Add => $"({x} + {y})",
        BinaryKind.Sub => $"({x} - {y})",
        BinaryKind.Mul => $"({x} * {y})",
        BinaryKind.Div => $"({x} / {y})",
        BinaryKind.Max => $"{Math}.Max({x}, {y})",
        BinaryKind.Min => $"{Math}.Min({x}, {y})",
        // x² exactly as a product, as the CPU backend computes it.
        BinaryKind.Pow when b.Right is Constant { Value: 2 } => $"{Math}.Square({x})",
        BinaryKind.Pow => $"{Math}.Pow({x}, {y})",
        _ => throw Unknown(b.Kind),
    };

    private static string IntBinary(BinaryKind kind, string x, string y) => kind switch
    {
        BinaryKind.Add => $"unchecked({x} + {y})",
        BinaryKind.Sub => $"unchecked({x} - {y})",
        BinaryKind.Mul => $"unchecked({x} * {y})",
        BinaryKind.Max => $"{Math}.Max({x}, {y})",
        BinaryKind.Min => $"{Math}.Min({x}, {y})",
        BinaryKind.Div => $"{Math}.Divide({x}, {y})",
        BinaryKind.Pow => $"{Math}.Power({x}, {y})",
        _ => throw Unknown(kind),
    };

    // C#'s float comparisons are the IR's: ordered, except that != is true on NaN.
    private static string Comparison(CompareKind kind, ScalarType type, string x, string y)
    {
        if (type == ScalarType.Bool && kind is not (CompareKind.Eq or CompareKind.Ne))
        {
            (x, y) = ($"({x} ? 1 : 0)", $"({y} ? 1 : 0)");
        }
        var op = kind switch
        {
            CompareKind.Eq => "==",
            CompareKind.Ne => "!=",
            CompareKind.Lt => "<",
            CompareKind.Le => "<=",
            CompareKind.Gt => ">",
            CompareKind.Ge => ">=",
            _ => throw Unknown(kind),
        };
        return $"({x} {op} {y})";
    }

    private static string Conversion(ScalarType from, ScalarType to, string x)
    {
        if (from == to)
        {
            return x;
        }
        return (from, to) switch
        {
            (ScalarType.F32, ScalarType.Bool) => $"({x} != 0f)",
            (ScalarType.F32, ScalarType.I32) => $"{Math}.ToInt32({x})",
            (ScalarType.F32, ScalarType.Index) => $"{Math}.ToInt64({x})",
            (ScalarType.Bool, ScalarType.F32) => $"({x} ? 1f : 0f)",
            (ScalarType.Bool, ScalarType.I32) => $"({x} ? 1 : 0)",
            (ScalarType.Bool, ScalarType.Index) => $"({x} ? 1L : 0L)",
            (ScalarType.I32 or ScalarType.Index, ScalarType.F32) => $"((float){x})",
            (ScalarType.I32 or ScalarType.Index, ScalarType.Bool) => $"({x} != 0)",
            (ScalarType.I32, ScalarType.Index) => $"((long){x})",
            (ScalarType.Index, ScalarType.I32) => $"unchecked((int){x})",
            _ => throw new InvalidOperationException($"no conversion from {from} to {to}"),
        };
    }

    // The loops of the reduced variables, outermost first, combining the body innermost, in order.
    private string Reduction(Reduce reduce)
    {
        var accumulator = code.Temporary("r");
        code.Line($"float {accumulator} = {(reduce.Kind switch { ReduceKind.Sum => "0f", ReduceKind.Max => "float.NegativeInfinity", _ => throw Unknown(reduce.Kind) })};");
        Loops(reduce, 0, accumulator);
        return accumulator;
    }

    private void Loops(Reduce reduce, int level, string accumulator)
    {
        if (level == reduce.Vars.Length)
        {
            var term = Write(reduce.Body);
            code.Line(reduce.Kind switch
            {
                ReduceKind.Sum => $"{accumulator} += {term};",
                ReduceKind.Max => $"{accumulator} = {Math}.Max({term}, {accumulator});",
                _ => throw Unknown(reduce.Kind),
            });
            return;
        }
        var extent = code.Temporary("n");
        code.Line($"long {extent} = {Write(reduce.Extents[level])};");
        var var = NameOf(reduce.Vars[level]);
        code.Block($"for (long {var} = 0; {var} < {extent}; {var}++)", () => Loops(reduce, level + 1, accumulator));
    }

    private static InvalidOperationException Unknown<T>(T value)
        where T : struct, Enum => new($"the GPU code generator has no code for {typeof(T).Name} {value}");
}
