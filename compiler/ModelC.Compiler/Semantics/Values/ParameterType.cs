namespace ModelC.Compiler.Semantics.Values;

/// <summary>The kinds of compile-time parameter a block, model or built-in can declare.</summary>
public enum ParameterKind
{
    /// <summary><c>int</c></summary>
    Int,

    /// <summary><c>float</c> (an int is accepted and widened)</summary>
    Float,

    /// <summary><c>bool</c></summary>
    Bool,

    /// <summary><c>string</c></summary>
    String,

    /// <summary><c>padding</c>: zeros, circular, reflect, replicate</summary>
    Padding,

    /// <summary><c>block</c>: a module, such as <c>relu</c> or <c>linear(64) &gt;&gt; relu</c></summary>
    Block,

    /// <summary><c>tensor</c>: a block input</summary>
    Tensor,

    /// <summary><c>batch</c>: a model's symbolic batch dimension</summary>
    Batch,

    /// <summary><c>optimizer</c></summary>
    Optimizer,

    /// <summary><c>schedule</c></summary>
    Schedule,

    /// <summary><c>init</c>: a weight initialiser</summary>
    Init,

    /// <summary>Any value; only built-in functions declare it, and check what they get themselves.</summary>
    Any,
}

/// <summary>A declared parameter type: a kind, possibly a list of it (<c>int[]</c>).</summary>
public sealed record ParameterType(ParameterKind Kind, bool IsList = false)
{
    /// <summary>
    /// A list type that also takes one item (kept as the item): built-ins' per-axis settings,
    /// such as a convolution's <c>k = 3</c> for every axis or <c>k = [31, 1]</c> axis by axis.
    /// Source cannot declare it.
    /// </summary>
    public bool AcceptsItem { get; init; }

    /// <summary><c>int or int[]</c>: one size for every axis, or one per axis.</summary>
    public static readonly ParameterType IntPerAxis = new(ParameterKind.Int, IsList: true) { AcceptsItem = true };

    /// <summary><c>int</c></summary>
    public static readonly ParameterType Int = new(ParameterKind.Int);

    /// <summary><c>float</c></summary>
    public static readonly ParameterType Float = new(ParameterKind.Float);

    /// <summary><c>bool</c></summary>
    public static readonly ParameterType Bool = new(ParameterKind.Bool);

    /// <summary><c>string</c></summary>
    public static readonly ParameterType String = new(ParameterKind.String);

    /// <summary><c>padding</c></summary>
    public static readonly ParameterType Padding = new(ParameterKind.Padding);

    /// <summary><c>block</c></summary>
    public static readonly ParameterType Block = new(ParameterKind.Block);

    /// <summary><c>tensor</c></summary>
    public static readonly ParameterType Tensor = new(ParameterKind.Tensor);

    /// <summary><c>schedule</c></summary>
    public static readonly ParameterType Schedule = new(ParameterKind.Schedule);

    /// <summary><c>init</c></summary>
    public static readonly ParameterType Init = new(ParameterKind.Init);

    /// <summary>Any value (built-in functions only).</summary>
    public static readonly ParameterType Any = new(ParameterKind.Any);

    /// <summary>The type's name as written in source.</summary>
    public string Name => AcceptsItem ? $"{ItemName} or {ItemName}[]" : ItemName + (IsList ? "[]" : "");

    private string ItemName => Kind.ToString().ToLowerInvariant();

    /// <summary>The type named in source (<c>int</c>, <c>float[]</c>), or null if there is none.</summary>
    public static ParameterType? FromName(string name, bool isList) =>
        Enum.TryParse<ParameterKind>(name, ignoreCase: true, out var kind) && name == name.ToLowerInvariant()
            && kind != ParameterKind.Any
            && !(isList && kind is ParameterKind.Tensor or ParameterKind.Batch)
            ? new ParameterType(kind, isList)
            : null;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
