using ModelC.Compiler.Lowering;
using ModelC.Compiler.Semantics.Values;

namespace ModelC.Compiler.Semantics.Builtins;

/// <summary>Short constructors for built-in parameter declarations.</summary>
internal static class Params
{
    public static BuiltinParameter Int(string name, Func<Value, string?>? check = null) => new(name, ParameterType.Int, Check: check);

    public static BuiltinParameter Int(string name, long value, Func<Value, string?>? check = null) =>
        BuiltinParameter.WithDefault(name, ParameterType.Int, new IntValue(value), check);

    public static BuiltinParameter Float(string name, Func<Value, string?>? check = null) => new(name, ParameterType.Float, Check: check);

    public static BuiltinParameter Float(string name, double value, Func<Value, string?>? check = null) =>
        BuiltinParameter.WithDefault(name, ParameterType.Float, new FloatValue(value), check);

    /// <summary>A per-axis size: one int for every spatial axis, or a list with one per axis.</summary>
    public static BuiltinParameter PerAxis(string name, long value, Func<Value, string?> check) =>
        BuiltinParameter.WithDefault(name, ParameterType.IntPerAxis, new IntValue(value), check);

    public static BuiltinParameter Bool(string name, bool value) =>
        BuiltinParameter.WithDefault(name, ParameterType.Bool, new BoolValue(value));

    public static BuiltinParameter Padding(string name, PaddingMode value) =>
        BuiltinParameter.WithDefault(name, ParameterType.Padding, new PaddingValue(value));

    public static BuiltinParameter Ints(string name) => new(name, new ParameterType(ParameterKind.Int, IsList: true), IsVariadic: true);

    public static BuiltinParameter Block(string name) => new(name, ParameterType.Block);

    public static BuiltinParameter Any(string name) => new(name, ParameterType.Any);

    public static BuiltinParameter AnyList(string name) => new(name, new ParameterType(ParameterKind.Any, IsList: true), IsVariadic: true);

    /// <summary>A layer's <c>init</c>: the weight's initialiser; unset means the layer's standard one.</summary>
    public static BuiltinParameter WeightInit() => Optional("init", ParameterType.Init);

    /// <summary>A parameter that may be left unset (its absence means something, e.g. "from the route").</summary>
    public static BuiltinParameter Optional(string name, ParameterType type, Func<Value, string?>? check = null) =>
        new(name, type, _ => null, Check: check);
}
