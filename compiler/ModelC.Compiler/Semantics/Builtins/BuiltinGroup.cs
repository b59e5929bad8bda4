using System.Collections.Immutable;

namespace ModelC.Compiler.Semantics.Builtins;

/// <summary>A family of built-ins as the language reference groups them.</summary>
public sealed record BuiltinGroup(string Title, ImmutableArray<Builtin> Members);
