using System.Collections.Immutable;

namespace ModelC.Compiler.Passes;

/// <summary>
/// A pass left a graph that breaks the IR's invariants (see <see cref="IR.GraphVerifier"/>): a
/// compiler bug. The message names the pass and lists every violation.
/// </summary>
public sealed class InvalidGraphException : InvalidOperationException
{
    /// <summary>Reports the <paramref name="violations"/> found in graph <paramref name="graph"/> after pass <paramref name="pass"/>.</summary>
    public InvalidGraphException(string pass, string graph, ImmutableArray<string> violations)
        : base($"invalid IR for {graph} after {pass}:\n  " + string.Join("\n  ", violations))
    {
        Pass = pass;
        Violations = violations;
    }

    /// <summary>The label of the pass whose result failed the verifier.</summary>
    public string Pass { get; }

    /// <summary>What the verifier found.</summary>
    public ImmutableArray<string> Violations { get; }
}
