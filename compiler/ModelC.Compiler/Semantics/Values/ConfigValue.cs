using System.Collections.Immutable;

namespace ModelC.Compiler.Semantics.Values;

/// <summary>What a <see cref="ConfigValue"/> configures.</summary>
public enum ConfigKind
{
    /// <summary>An optimizer: <c>sgd</c>, <c>adam</c>, <c>adamw</c>.</summary>
    Optimizer,

    /// <summary>A learning-rate schedule: <c>constant</c>, <c>step</c>, <c>cosine</c>, <c>one_cycle</c>.</summary>
    Schedule,

    /// <summary>A weight initialiser: <c>xavier_uniform</c>, <c>kaiming_normal</c>, <c>normal(0.0, 0.02)</c>, ….</summary>
    Init,
}

/// <summary>A named bundle of settings, such as <c>adamw(lr = 1e-3)</c>, with every setting resolved.</summary>
public sealed record ConfigValue(ConfigKind Kind, string Name, ImmutableArray<KeyValuePair<string, Value>> Settings) : Value
{
    /// <inheritdoc/>
    public override string TypeName => Kind.ToString().ToLowerInvariant();

    /// <inheritdoc/>
    public override string Display =>
        Settings.IsEmpty ? Name : $"{Name}({string.Join(", ", Settings.Select(s => $"{s.Key} = {s.Value.Display}"))})";

    /// <summary>One setting by name.</summary>
    public Value this[string key] => Settings.First(s => s.Key == key).Value;
}
