using System.Collections.Immutable;

namespace ModelC.Compiler.Semantics.Binding;

/// <summary>Something a call can name: a user block or a built-in.</summary>
public interface ICallable
{
    /// <summary>The name it is called by.</summary>
    string Name { get; }

    /// <summary>What it is, for messages: "block", "layer", "function", ….</summary>
    string KindName { get; }

    /// <summary>Its parameters in declaration order; tensor parameters are its inputs.</summary>
    ImmutableArray<ParameterSpec> Parameters { get; }
}
