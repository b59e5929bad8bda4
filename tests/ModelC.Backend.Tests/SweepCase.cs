using ModelC.Compiler.Interpreter;
using ModelC.Compiler.IR;

namespace ModelC.Backend.Tests;

/// <summary>One case of <see cref="PrimitiveSweep"/>: a small graph around one op and random values for its inputs.</summary>
/// <param name="Name">The readable, unique case name (op, attributes, shapes).</param>
/// <param name="Graph">The graph; its outputs are what gets compared.</param>
/// <param name="Inputs">A value for every input, by name.</param>
internal sealed record SweepCase(string Name, Graph Graph, IReadOnlyDictionary<string, HostTensor> Inputs)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}
