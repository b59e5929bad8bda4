using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Text;
using ModelC.Runtime;
using static ModelC.Compiler.Semantics.Builtins.Params;

namespace ModelC.Compiler.Semantics.Builtins;

/// <summary>Functions evaluated at compile time: arithmetic helpers, lists, conversions and <c>repeat</c>.</summary>
internal static class FunctionBuiltins
{
    public static ImmutableArray<Builtin> All { get; } =
    [
        new FunctionBuiltin("len", "The number of items of a list.", [Any("items")], Length),
        new FunctionBuiltin("tail", "A list without its first item.", [Any("items")], Tail),
        new FunctionBuiltin("min", "The smallest of its numbers.", [AnyList("values")], (ctx, a) => Extreme(ctx, a, smallest: true)),
        new FunctionBuiltin("max", "The largest of its numbers.", [AnyList("values")], (ctx, a) => Extreme(ctx, a, smallest: false)),
        new FunctionBuiltin("range", "The ints [start, stop), or [0, start) when stop is omitted.",
            [Int("start"), Optional("stop", ParameterType.Int)], Range),
        new FunctionBuiltin("int", "Converts a float (toward zero) or an f32 tensor to int / i32.", [Any("value")], ToInt),
        new FunctionBuiltin("float", "Converts an int or an i32 tensor to float / f32.", [Any("value")], ToFloat),
        new FunctionBuiltin("floor", "The largest int not above a number.", [Float("value")], (ctx, a) => Integral(ctx, Math.Floor(a.Float("value")))),
        new FunctionBuiltin("ceil", "The smallest int not below a number.", [Float("value")], (ctx, a) => Integral(ctx, Math.Ceiling(a.Float("value")))),
        new FunctionBuiltin("parameter", "A free trainable tensor of the given shape (PyTorch's nn.Parameter: a CLS token, a learned query), named after its let; init as chosen, zeros by default.",
            [Ints("dims"), Optional("init", ParameterType.Init)], Parameter),
        new FunctionBuiltin("arange", "The f32 tensor [start, start + step, …] below stop, or [0, 1, …, start − 1] when stop is omitted (torch.arange): positions computed in the graph, for RoPE angles or positional features.",
            [Int("start"), Optional("stop", ParameterType.Int), Int("step", 1, Checks.Positive)], Arange),
        new FunctionBuiltin("share", "One instance of a module: every application uses the same parameters, made by the first one (weight-tied RNNs, tied embeddings); they are named after the share's let (`cell.weight`) and read as its members (`emb.weight`).",
            [Block("body")], (ctx, args) => new SharedModule((ModuleValue)args["body"], new SharedParameters(ctx.ReservePath("share")), ctx.Site)),
        new FunctionBuiltin("repeat", "n copies of a block in sequence, each with its own parameters: body >> body >> ….",
            [Int("n", Checks.Positive), Block("body")], Repeat),
    ];

    private static Value Length(FunctionContext ctx, BoundArguments args) =>
        args["items"] is ListValue list ? new IntValue(list.Items.Length) : ctx.Fail("items", $"must be a list, got {args["items"].TypeName}");

    private static Value Tail(FunctionContext ctx, BoundArguments args) => args["items"] switch
    {
        ListValue { Items.IsEmpty: false } list => new ListValue(list.Items.RemoveAt(0)),
        ListValue => ctx.Fail("items", "must not be empty"),
        var other => ctx.Fail("items", $"must be a list, got {other.TypeName}"),
    };

    private static Value Extreme(FunctionContext ctx, BoundArguments args, bool smallest)
    {
        var values = ((ListValue)args["values"]).Items;
        if (values.IsEmpty)
        {
            return ctx.Fail("values", "needs at least one number");
        }
        if (values.FirstOrDefault(v => v is not (IntValue or FloatValue)) is { } bad)
        {
            return ctx.Fail("values", $"must be numbers, got {bad.TypeName}");
        }
        if (values.All(v => v is IntValue))
        {
            var ints = values.Select(v => ((IntValue)v).Value);
            return new IntValue(smallest ? ints.Min() : ints.Max());
        }
        var numbers = values.Select(v => v is IntValue i ? i.Value : ((FloatValue)v).Value);
        return new FloatValue(smallest ? numbers.Min() : numbers.Max());
    }

    // Floats beyond the range of int64 have no int value.
    private static Value Integral(FunctionContext ctx, double value) =>
        Math.Abs(value) < 9.2e18 ? new IntValue((long)value) : ctx.Fail("value", $"is too large for an int, got {NumberText.Format(value)}");

    private static Value Range(FunctionContext ctx, BoundArguments args)
    {
        var (start, stop) = args.Find("stop") is null ? (0L, (long)args.Int("start")) : (args.Int("start"), args.Int("stop"));
        if ((Int128)stop - start > 1_000_000)
        {
            return ctx.Fail(args.Find("stop") is null ? "start" : "stop", "makes a list of more than a million items");
        }
        return new ListValue([.. Enumerable.Range(0, (int)Math.Max(0, stop - start)).Select(i => (Value)new IntValue(start + i))]);
    }

    private static Value ToInt(FunctionContext ctx, BoundArguments args) => args["value"] switch
    {
        IntValue i => i,
        FloatValue f => Integral(ctx, f.Value),
        TensorValue t when t.Type.ElementType is ElementType.F32 or ElementType.I32 => new TensorValue(ctx.Graph.Cast(t.Node, ElementType.I32)),
        _ => ctx.FailConvert("value", "int"),
    };

    private static Value ToFloat(FunctionContext ctx, BoundArguments args) => args["value"] switch
    {
        IntValue i => new FloatValue(i.Value),
        FloatValue f => f,
        TensorValue t when t.Type.ElementType is ElementType.I32 or ElementType.F32 => new TensorValue(ctx.Graph.Cast(t.Node, ElementType.F32)),
        _ => ctx.FailConvert("value", "float"),
    };

    private static Value Parameter(FunctionContext ctx, BoundArguments args)
    {
        var dims = ((ListValue)args["dims"]).Items.Select(d => ((IntValue)d).Value).ToList();
        if (dims.Where(d => d < 1).Select(d => (long?)d).FirstOrDefault() is { } bad)
        {
            return ctx.Fail("dims", $"must be positive, got {bad}");
        }
        var shape = Shape.Of([.. dims.Select(d => (int)d)]);
        var init = args.Find("init")?.Value as ConfigValue ?? Initializers.Zeros;
        if (Initializers.NeedsFans(init) && shape.Rank < 2)
        {
            return ctx.Fail("init", $"needs a tensor of rank 2 or more for {init.Name}'s fans, got shape {shape}");
        }
        return ctx.Parameter("parameter", shape, Initializers.For(init, shape));
    }

    private static Value Arange(FunctionContext ctx, BoundArguments args)
    {
        var (start, stop) = args.Find("stop")?.Value is IntValue end ? ((long)args.Int("start"), end.Value) : (0L, args.Int("start"));
        var step = args.Int("step");
        var count = stop > start ? (stop - start + step - 1) / step : 0;
        if (count == 0)
        {
            return ctx.Fail("start", $"must be below stop: [{start}, {stop}) holds no ints");
        }
        var g = ctx.Graph;
        var index = g.Add(new IotaOp(0, TensorType.F32(Shape.Of((int)Math.Min(count, int.MaxValue)))));
        return new TensorValue(g.Binary(BinaryKind.Add, g.Binary(BinaryKind.Mul, index, step), start));
    }

    private static Value Repeat(FunctionContext ctx, BoundArguments args)
    {
        var body = (ModuleValue)args["body"];
        if (!body.Accepts(1))
        {
            return ctx.Fail("body", $"must take one input, but {body.Display} takes {body.ArityText}");
        }
        return new RepeatModule(body, args.Int("n"), ctx.Site);
    }
}
