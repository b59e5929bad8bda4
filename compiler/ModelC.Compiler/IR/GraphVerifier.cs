using System.Collections.Immutable;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.IR;

/// <summary>
/// Checks a graph's invariants: operands precede users, every node's type is what its op
/// infers, names are unique, outputs are in the graph, the loss is a scalar, state updates
/// match their states, gradients match their leaves. Run after every pass; a failure is a compiler bug.
/// </summary>
public static class GraphVerifier
{
    /// <summary>The violations found; empty for a valid graph.</summary>
    public static ImmutableArray<string> Verify(Graph graph)
    {
        var errors = new List<string>();
        var seen = new HashSet<Node>();
        var names = new HashSet<string>();
        foreach (var node in graph.Nodes)
        {
            foreach (var input in node.Inputs.Where(i => !seen.Contains(i)))
            {
                errors.Add($"%{node.Id} uses %{input.Id}, which is not defined before it");
            }
            try
            {
                var type = node.Op.InferType([.. node.Inputs.Select(i => i.Type)]);
                if (type != node.Type)
                {
                    errors.Add($"%{node.Id} ({node.Op.Mnemonic}) has type {node.Type} but its op gives {type}");
                }
            }
            catch (IrTypeException e)
            {
                errors.Add($"%{node.Id}: {e.Message}");
            }
            var leafName = node.Op switch
            {
                InputOp i => "input " + i.Name,
                ParameterOp p => "parameter " + p.Name,
                StateOp s => "state " + s.Name,
                _ => null,
            };
            if (leafName is not null && !names.Add(leafName))
            {
                errors.Add($"duplicate {leafName}");
            }
            seen.Add(node);
        }
        VerifyOutputs(graph, seen, errors);
        return [.. errors];
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> listing the violations, if any.</summary>
    public static void VerifyOrThrow(Graph graph)
    {
        var errors = Verify(graph);
        if (!errors.IsEmpty)
        {
            throw new InvalidOperationException($"invalid IR for {graph.Name}:\n  " + string.Join("\n  ", errors));
        }
    }

    private static void VerifyOutputs(Graph graph, HashSet<Node> seen, List<string> errors)
    {
        var states = graph.States.ToDictionary(s => ((StateOp)s.Op).Name);
        // Duplicate leaf names are reported by the node checks; the first one is enough here.
        var leaves = new Dictionary<string, Node>();
        foreach (var leaf in graph.Nodes.Where(n => n.Op is InputOp or ParameterOp))
        {
            leaves.TryAdd(leaf.Op is InputOp i ? i.Name : ((ParameterOp)leaf.Op).Name, leaf);
        }
        var parameters = graph.Parameters.ToDictionary(p => ((ParameterOp)p.Op).Name);
        var updated = new HashSet<(OutputRole, string)>();
        var outputNames = new HashSet<string>();
        var gradientNames = new HashSet<string>();
        foreach (var output in graph.Outputs)
        {
            if (!seen.Contains(output.Value))
            {
                errors.Add($"{output.Role} {output.Name} refers to a node outside the graph");
            }
            switch (output.Role)
            {
                case OutputRole.Output when !outputNames.Add(output.Name):
                    errors.Add($"duplicate output {output.Name}");
                    break;
                case OutputRole.Loss when output.Value.Type != TensorType.ScalarF32:
                    errors.Add($"loss must be f32[], got {output.Value.Type}");
                    break;
                case OutputRole.StateUpdate when !states.TryGetValue(output.Name, out var state):
                    errors.Add($"update of unknown state {output.Name}");
                    break;
                case OutputRole.StateUpdate when states[output.Name].Type != output.Value.Type:
                    errors.Add($"update of {output.Name} has type {output.Value.Type}, state has {states[output.Name].Type}");
                    break;
                case OutputRole.Gradient when !leaves.TryGetValue(output.Name, out var leaf) || leaf.Type != output.Value.Type:
                    errors.Add($"gradient {output.Name} of type {output.Value.Type} matches no input or parameter of that type");
                    break;
                case OutputRole.Gradient when !gradientNames.Add(output.Name):
                    errors.Add($"duplicate gradient {output.Name}");
                    break;
                case OutputRole.ParameterUpdate when !parameters.TryGetValue(output.Name, out var parameter) || parameter.Type != output.Value.Type:
                    errors.Add($"update of {output.Name} of type {output.Value.Type} matches no parameter of that type");
                    break;
                case OutputRole.StateUpdate or OutputRole.ParameterUpdate when !updated.Add((output.Role, output.Name)):
                    errors.Add($"{output.Name} is updated twice");
                    break;
            }
        }
        if (graph.Outputs.Count(o => o.Role == OutputRole.Loss) > 1)
        {
            errors.Add("more than one loss");
        }
    }
}
