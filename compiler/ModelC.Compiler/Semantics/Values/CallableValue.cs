using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Values;

/// <summary>
/// A block or built-in named but not yet called, such as <c>relu</c> in <c>linear(8) &gt;&gt; relu</c>.
/// Where a module is needed it is configured with its defaults.
/// </summary>
public sealed record CallableValue(ICallable Callable, Location Site) : Value
{
    /// <inheritdoc/>
    public override string TypeName => Callable.KindName;

    /// <inheritdoc/>
    public override string Display => Callable.Name;
}
