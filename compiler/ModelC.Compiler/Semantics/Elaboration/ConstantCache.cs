using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Semantics.Symbols;
using ModelC.Compiler.Semantics.Values;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>
/// The values of <c>const</c> declarations, each evaluated once per compilation on first use;
/// a constant that needs itself is reported instead of recursing forever.
/// </summary>
internal sealed class ConstantCache
{
    private readonly Dictionary<ConstSymbol, Value> _values = [];
    private readonly HashSet<ConstSymbol> _evaluating = [];

    public Value Get(ConstSymbol symbol, ElaborationContext context)
    {
        if (_values.TryGetValue(symbol, out var cached))
        {
            return cached;
        }
        if (!_evaluating.Add(symbol))
        {
            return context.Report(NameDiagnostics.ConstantCycle(symbol.Location, symbol.Name));
        }
        var env = new Environment(symbol.Module);
        var value = context.Expressions.Evaluate(symbol.Syntax.Value, env);
        if (symbol.Syntax.Type is { } typeSyntax && TypeResolver.Resolve(typeSyntax) is { } type)
        {
            value = context.Invoker.Coerce(value, type) ?? context.Report(ValueDiagnostics.DefaultType(
                ElaborationContext.At(env, symbol.Syntax.Value.Span), symbol.Name, type, value));
        }
        _evaluating.Remove(symbol);
        _values[symbol] = value;
        return value;
    }
}
