namespace ModelC.Compiler.Semantics.Values;

/// <summary>How a <c>branch</c> divides its input.</summary>
public enum SplitterKind
{
    /// <summary><c>clone(n)</c>: n copies of the input.</summary>
    Clone,

    /// <summary><c>group(n, dim)</c>: n equal slices along a dimension.</summary>
    Group,
}

/// <summary>The head of a <c>branch</c>: makes <see cref="Count"/> tensors from one.</summary>
public sealed record SplitterValue(SplitterKind Kind, int Count, int Dim) : Value
{
    /// <inheritdoc/>
    public override string TypeName => "splitter";

    /// <inheritdoc/>
    public override string Display => Kind == SplitterKind.Clone ? $"clone({Count})" : $"group({Count}, {Dim})";
}
