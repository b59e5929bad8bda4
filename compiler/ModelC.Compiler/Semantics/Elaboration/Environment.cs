using System.Collections.Immutable;
using ModelC.Compiler.Semantics.Symbols;
using ModelC.Compiler.Semantics.Values;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>
/// The local bindings visible at a point of evaluation (parameters, <c>let</c>s, inputs), over
/// the file they are in. Immutable: a <c>let</c> makes a new environment, so rebinding a name
/// shadows it without changing what earlier code saw.
/// </summary>
internal sealed class Environment
{
    private readonly ImmutableDictionary<string, Value> _locals;

    public Environment(SourceModule module)
        : this(module, ImmutableDictionary<string, Value>.Empty)
    {
    }

    private Environment(SourceModule module, ImmutableDictionary<string, Value> locals)
    {
        Module = module;
        _locals = locals;
    }

    /// <summary>The file whose declarations and imports are visible.</summary>
    public SourceModule Module { get; }

    /// <summary>A new environment with one more binding.</summary>
    public Environment With(string name, Value value) => new(Module, _locals.SetItem(name, value));

    /// <summary>Looks up a local binding.</summary>
    public bool TryGetLocal(string name, out Value value) => _locals.TryGetValue(name, out value!);
}
