using System.Collections.Immutable;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Builtins;
using ModelC.Compiler.Semantics.Symbols;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Values;

/// <summary>
/// A module: a function of tensors that creates its parameters when applied. Modules are
/// recipes, so applying the same module twice creates two sets of weights (generator semantics),
/// unless it is a <see cref="SharedModule"/>.
/// </summary>
public abstract record ModuleValue(Location Site) : Value
{
    /// <inheritdoc/>
    public override string TypeName => "block";

    /// <summary>How many tensors it takes, or null when it takes any number from <see cref="MinimumInputs"/> up.</summary>
    public abstract int? Arity { get; }

    /// <summary>The fewest tensors it takes.</summary>
    public virtual int MinimumInputs => Arity ?? 1;

    /// <summary>True when <paramref name="count"/> inputs are acceptable.</summary>
    public bool Accepts(int count) => Arity is { } arity ? count == arity : count >= MinimumInputs;

    /// <summary>Describes the accepted input count for messages.</summary>
    public string ArityText => Arity is { } arity ? $"{arity} input{(arity == 1 ? "" : "s")}" : $"at least {MinimumInputs} inputs";
}

/// <summary>A configured built-in layer, such as <c>linear(256)</c>.</summary>
public sealed record BuiltinModule(LayerBuiltin Builtin, BoundArguments Arguments, Location Site) : ModuleValue(Site)
{
    /// <inheritdoc/>
    public override int? Arity => Builtin.Arity;

    /// <inheritdoc/>
    public override int MinimumInputs => Builtin.MinimumInputs;

    /// <inheritdoc/>
    public override string Display => Builtin.Name + Arguments.Display;
}

/// <summary>
/// A configured user block. A point-free block's body was evaluated when it was configured
/// (<see cref="Body"/>); a dataflow block runs its statements when applied.
/// </summary>
public sealed record BlockModule(BlockSymbol Block, BoundArguments Arguments, ModuleValue? Body, Location Site) : ModuleValue(Site)
{
    /// <inheritdoc/>
    public override int? Arity => Body is null ? Block.Inputs.Length : Body.Arity;

    /// <inheritdoc/>
    public override int MinimumInputs => Body?.MinimumInputs ?? Block.Inputs.Length;

    /// <inheritdoc/>
    public override string Display => Block.Name + Arguments.Display;
}

/// <summary><c>first &gt;&gt; second</c></summary>
public sealed record SequentialModule(ModuleValue First, ModuleValue Second, Location Site) : ModuleValue(Site)
{
    // Stored, not recomputed: long chains (a >> b >> … written out) nest thousands deep.

    /// <inheritdoc/>
    public override int? Arity { get; } = First.Arity;

    /// <inheritdoc/>
    public override int MinimumInputs { get; } = First.MinimumInputs;

    /// <inheritdoc/>
    public override string Display => $"{First.Display} >> {Second.Display}";
}

/// <summary><c>repeat(n, body)</c>: the body applied n times in sequence, each time with its own parameters.</summary>
public sealed record RepeatModule(ModuleValue Body, int Count, Location Site) : ModuleValue(Site)
{
    /// <inheritdoc/>
    public override int? Arity => 1;

    /// <inheritdoc/>
    public override string Display => $"repeat({Count}, {Body.Display})";
}

/// <summary><c>branch splitter [ branches ] merge aggregate</c></summary>
public sealed record BranchModule(SplitterValue Splitter, ImmutableArray<ModuleValue> Branches, ModuleValue Merge, Location Site)
    : ModuleValue(Site)
{
    /// <inheritdoc/>
    public override int? Arity => 1;

    /// <inheritdoc/>
    public override string Display =>
        $"branch {Splitter.Display} [{string.Join(", ", Branches.Select(b => b.Display))}] merge {Merge.Display}";
}

/// <summary><c>route pre [ inner ] post</c></summary>
public sealed record RouteModule(ModuleValue Pre, ModuleValue Inner, ModuleValue Post, Location Site) : ModuleValue(Site)
{
    /// <inheritdoc/>
    public override int? Arity => 1;

    /// <inheritdoc/>
    public override string Display => $"route {Pre.Display} [{Inner.Display}] {Post.Display}";
}

/// <summary>
/// <c>share(body)</c>: a module whose every application uses one set of parameters, created by
/// the first application and named under <see cref="SharedParameters.Path"/>.
/// </summary>
public sealed record SharedModule(ModuleValue Body, SharedParameters Parameters, Location Site) : ModuleValue(Site)
{
    /// <inheritdoc/>
    public override int? Arity => Body.Arity;

    /// <inheritdoc/>
    public override int MinimumInputs => Body.MinimumInputs;

    /// <inheritdoc/>
    public override string Display => $"share({Body.Display})";
}
