using System.Globalization;
using System.Text;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Semantics.Elaboration;

namespace ModelC.Compiler.Reports;

/// <summary>
/// A per-layer table of an elaborated model, in the manner of torchinfo: each block and layer
/// with its output shape and parameter count, then the totals and the model's interface.
/// </summary>
public static class ModelSummary
{
    /// <summary>Formats the summary; <paramref name="maxDepth"/> limits how deep the tree is expanded.</summary>
    public static string Format(ElaboratedModel model, int maxDepth = int.MaxValue)
    {
        var sizes = model.Graph.Nodes
            .Where(n => n.Op is ParameterOp or StateOp)
            .ToDictionary(n => n.Op is ParameterOp p ? p.Name : ((StateOp)n.Op).Name, n => n.Type.Shape.FixedElementCount);
        var trainable = model.Graph.Parameters.Select(p => ((ParameterOp)p.Op).Name).ToHashSet();
        var rows = new List<(string Layer, string Shape, string Params)>();
        Collect(model.Scopes, "", true, 0, maxDepth, sizes, trainable, rows, isRoot: true, model.Name);

        var width = Math.Max(28, rows.Max(r => r.Layer.Length) + 2);
        var shapeWidth = Math.Max(16, rows.Max(r => r.Shape.Length) + 2);
        var rule = new string('─', width + shapeWidth + 12);
        var text = new StringBuilder();
        text.Append("Layer (type)".PadRight(width)).Append("Output shape".PadRight(shapeWidth)).Append("Param #".PadLeft(12)).Append('\n');
        text.Append(rule).Append('\n');
        foreach (var (layer, shape, parameters) in rows)
        {
            text.Append(layer.PadRight(width)).Append(shape.PadRight(shapeWidth)).Append(parameters.PadLeft(12)).Append('\n');
        }
        text.Append(rule).Append('\n');
        var totalTrainable = sizes.Where(s => trainable.Contains(s.Key)).Sum(s => s.Value);
        var totalState = sizes.Where(s => !trainable.Contains(s.Key)).Sum(s => s.Value);
        text.Append("Trainable parameters: ").Append(Count(totalTrainable)).Append('\n');
        if (totalState > 0)
        {
            text.Append("State (running statistics): ").Append(Count(totalState)).Append('\n');
        }
        text.Append("Inputs: ").Append(string.Join(", ", model.Graph.Inputs.Select(i => $"{((InputOp)i.Op).Name} {i.Type}"))).Append('\n');
        text.Append("Outputs: ").Append(string.Join(", ",
            model.Graph.Outputs.Where(o => o.Role == OutputRole.Output).Select(o => $"{o.Name} {o.Value.Type}"))).Append('\n');
        if (model.Graph.Loss is { } loss)
        {
            text.Append("Loss: ").Append(loss.Type).Append('\n');
        }
        if (model.Optimizer is { } optimizer)
        {
            text.Append("Optimizer: ").Append(optimizer.Display).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The trainable scalars under a scope (its own parameters and its descendants').</summary>
    public static long ParameterCount(ScopeInfo scope, IReadOnlyDictionary<string, long> sizes, ISet<string> trainable) =>
        scope.DescendantsAndSelf().SelectMany(s => s.Parameters).Where(trainable.Contains).Sum(p => sizes[p]);

    private static void Collect(ScopeInfo scope, string indent, bool last, int depth, int maxDepth,
        Dictionary<string, long> sizes, HashSet<string> trainable, List<(string, string, string)> rows, bool isRoot, string modelName)
    {
        var label = isRoot ? modelName : $"{indent}{(last ? "└─ " : "├─ ")}{scope.Segment} ({scope.Kind})";
        rows.Add((label, scope.Output?.ToString() ?? "", Count(ParameterCount(scope, sizes, trainable))));
        if (depth >= maxDepth)
        {
            return;
        }
        var childIndent = isRoot ? "" : indent + (last ? "   " : "│  ");
        for (var i = 0; i < scope.Children.Length; i++)
        {
            Collect(scope.Children[i], childIndent, i == scope.Children.Length - 1, depth + 1, maxDepth, sizes, trainable, rows, false, modelName);
        }
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
