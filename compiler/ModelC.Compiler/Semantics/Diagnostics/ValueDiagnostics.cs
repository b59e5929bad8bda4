using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Diagnostics;

/// <summary>Diagnostics about calls and compile-time values (codes MC3xxx).</summary>
public static class ValueDiagnostics
{
    /// <summary>How a value is named in messages: <c>float 2.5</c>, <c>tensor f32[B,3]</c>, <c>block linear(3)</c>.</summary>
    public static string Describe(Value value) => value switch
    {
        TensorValue t => t.TypeName,
        ListValue or StringValue => $"{value.TypeName} {value.Display}",
        ModuleValue or CallableValue or SplitterValue or ConfigValue => $"{value.TypeName} {value.Display}",
        _ => $"{value.TypeName} {value.Display}",
    };

    /// <summary>MC3001</summary>
    public static Diagnostic UnknownArgument(Location location, string callee, string name, string? suggestion) =>
        Diagnostic.Error("MC3001", $"{callee} has no parameter named '{name}'", location,
            suggestion is null ? null : $"did you mean '{suggestion}'?");

    /// <summary>MC3002</summary>
    public static Diagnostic DuplicateArgument(Location location, string name) =>
        Diagnostic.Error("MC3002", $"argument '{name}' is given more than once", location);

    /// <summary>MC3003</summary>
    public static Diagnostic TooManyArguments(Location location, string callee, int count, string signature) =>
        Diagnostic.Error("MC3003",
            count == 0 ? $"{callee} takes no arguments" : $"{callee} takes at most {count} argument{(count == 1 ? "" : "s")}",
            location, signature);

    /// <summary>MC3004</summary>
    public static Diagnostic ArgumentType(Location location, string name, string callee, ParameterType expected, Value actual) =>
        Diagnostic.Error("MC3004", $"argument '{name}' of {callee} must be {expected}, got {Describe(actual)}", location);

    /// <summary>MC3004: a tensor given where a setting is missing (<c>linear(x)</c> for <c>linear(4)(x)</c>).</summary>
    public static Diagnostic TensorForSetting(Location location, string name, string callee, ParameterType expected, Value actual) =>
        Diagnostic.Error("MC3004", $"argument '{name}' of {callee} must be {expected}, got {Describe(actual)}", location,
            $"a tensor argument is an input that {callee} is applied to; give '{name}' first, as in {callee}({name})(x)");

    /// <summary>MC3005</summary>
    public static Diagnostic MissingArgument(Location location, string callee, string name, string signature) =>
        Diagnostic.Error("MC3005", $"{callee} needs argument '{name}'", location, signature);

    /// <summary>MC3006</summary>
    public static Diagnostic PositionalAfterNamed(Location location) =>
        Diagnostic.Error("MC3006", "a positional argument cannot follow a named one", location);

    /// <summary>MC3007</summary>
    public static Diagnostic NotCallable(Location location, Value value) =>
        Diagnostic.Error("MC3007", $"cannot call {Describe(value)}", location);

    /// <summary>MC3008</summary>
    public static Diagnostic InvalidArgument(Location location, string name, string callee, string complaint) =>
        Diagnostic.Error("MC3008", $"argument '{name}' of {callee} {complaint}", location);

    /// <summary>MC3009</summary>
    public static Diagnostic OperatorTypes(Location location, string op, Value left, Value right) =>
        Diagnostic.Error("MC3009", $"operator '{op}' cannot combine {Describe(left)} and {Describe(right)}", location);

    /// <summary>MC3010</summary>
    public static Diagnostic UnaryOperatorType(Location location, string op, Value operand) =>
        Diagnostic.Error("MC3010", $"operator '{op}' cannot apply to {Describe(operand)}", location);

    /// <summary>MC3011</summary>
    public static Diagnostic DivisionByZero(Location location) => Diagnostic.Error("MC3011", "division by zero", location);

    /// <summary>MC3012</summary>
    public static Diagnostic IntegerOverflow(Location location) => Diagnostic.Error("MC3012", "integer overflow", location);

    /// <summary>MC3012, for floats that leave the finite range.</summary>
    public static Diagnostic FloatOverflow(Location location) =>
        Diagnostic.Error("MC3012", "floating-point overflow: the result is not a finite number", location);

    /// <summary>MC3013</summary>
    public static Diagnostic ConditionNotBool(Location location, Value value) =>
        Diagnostic.Error("MC3013", $"condition must be a compile-time bool, got {Describe(value)}", location);

    /// <summary>MC3014</summary>
    public static Diagnostic IndexNotInt(Location location, Value value, string what = "index") =>
        Diagnostic.Error("MC3014", $"{what} must be an int, got {Describe(value)}", location);

    /// <summary>MC3015</summary>
    public static Diagnostic IndexOutOfRange(Location location, long index, int length) =>
        Diagnostic.Error("MC3015", $"index {index} is out of range for a list of {length}", location);

    /// <summary>MC3015, for a tensor's dimension.</summary>
    public static Diagnostic IndexOutOfRange(Location location, long index, int axis, IR.TensorType type) =>
        Diagnostic.Error("MC3015", $"index {index} is out of range for dimension {axis} of {type}", location);

    /// <summary>MC3016</summary>
    public static Diagnostic NotIndexable(Location location, Value value) =>
        Diagnostic.Error("MC3016", $"cannot index {Describe(value)}", location);

    /// <summary>MC3016, for a list given several indices.</summary>
    public static Diagnostic ListIndexCount(Location location, int count) =>
        Diagnostic.Error("MC3016", $"a list takes one index, got {count}", location);

    /// <summary>MC3017</summary>
    public static Diagnostic ExpectedBlock(Location location, Value value) =>
        Diagnostic.Error("MC3017", $"expected a block, got {Describe(value)}", location);

    /// <summary>MC3018</summary>
    public static Diagnostic ExpectedTensor(Location location, Value value) =>
        Diagnostic.Error("MC3018", $"expected a tensor, got {Describe(value)}", location);

    /// <summary>MC3019</summary>
    public static Diagnostic RecursionLimit(Location location, string name, int limit) =>
        Diagnostic.Error("MC3019", $"recursion deeper than {limit} levels while instantiating '{name}'", location,
            "check that the recursion reaches its base case; --max-depth raises the limit");

    /// <summary>MC3020</summary>
    public static Diagnostic MissingReturn(Location location, string block) =>
        Diagnostic.Error("MC3020", $"block '{block}' does not return a value on every path", location);

    /// <summary>MC3021</summary>
    public static Diagnostic UnreachableStatement(Location location) =>
        Diagnostic.Warning("MC3021", "unreachable statement after 'return'", location);

    /// <summary>MC3022</summary>
    public static Diagnostic AssertionFailed(Location location, string? message) =>
        Diagnostic.Error("MC3022", message is null ? "assertion failed" : $"assertion failed: {message}", location);

    /// <summary>MC3023</summary>
    public static Diagnostic ReturnNotTensor(Location location, string block, Value value) =>
        Diagnostic.Error("MC3023", $"block '{block}' must return a tensor, got {Describe(value)}", location);

    /// <summary>MC3024</summary>
    public static Diagnostic ExpectedSplitter(Location location, Value value) =>
        Diagnostic.Error("MC3024", $"a branch starts with clone(n) or group(n, dim), got {Describe(value)}", location);

    /// <summary>MC3025</summary>
    public static Diagnostic BranchCount(Location location, int modules, SplitterValue splitter) =>
        Diagnostic.Error("MC3025", $"branch has {modules} modules but {splitter.Display} makes {splitter.Count} branches", location,
            "give one module (copied for every branch) or one module per branch");

    /// <summary>MC3026</summary>
    public static Diagnostic TensorDefault(Location location) =>
        Diagnostic.Error("MC3026", "tensor parameters cannot have defaults", location);

    /// <summary>MC3027</summary>
    public static Diagnostic PointFreeTensorParameter(Location location, string name) =>
        Diagnostic.Error("MC3027", $"block '{name}' is defined with '=' and cannot take tensor parameters", location,
            "write the body as { ... return ...; } to use named inputs");

    /// <summary>MC3028</summary>
    public static Diagnostic BatchOutsideModel(Location location) =>
        Diagnostic.Error("MC3028", "'batch' parameters are only allowed on models", location);

    /// <summary>MC3029</summary>
    public static Diagnostic DefaultType(Location location, string name, ParameterType expected, Value actual) =>
        Diagnostic.Error("MC3029", $"'{name}' must be {expected}, got {Describe(actual)}", location);

    /// <summary>MC3030</summary>
    public static Diagnostic CannotConvert(Location location, Value value, string target) =>
        Diagnostic.Error("MC3030", $"cannot convert {Describe(value)} to {target}", location);

    /// <summary>MC3031</summary>
    public static Diagnostic SliceStep(Location location, long step) =>
        Diagnostic.Error("MC3031", $"a slice step must be positive, got {step}", location);
}
