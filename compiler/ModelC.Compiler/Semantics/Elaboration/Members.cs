using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>Member access (<c>x.shape</c>, <c>x.channels</c>, <c>list.length</c>) and list indexing.</summary>
internal static class Members
{
    private const string TensorMembers = "shape, rank, channels (dimension 1), features (last dimension)";

    public static Value Evaluate(ElaborationContext context, Value target, string member, Location at)
    {
        switch (target)
        {
            case ErrorValue:
                return target;
            case TensorValue tensor:
                return Tensor(context, tensor, member, at);
            case ListValue list when member == "length":
                return new IntValue(list.Items.Length);
            case ListValue:
                return context.Report(NameDiagnostics.UnknownMember(at, member, "a list", "length"));
            default:
                return context.Report(NameDiagnostics.UnknownMember(at, member, ValueDiagnostics.Describe(target), "none"));
        }
    }

    public static Value Index(ElaborationContext context, Value target, Value index, Location targetAt, Location indexAt)
    {
        if (target is ErrorValue || index is ErrorValue)
        {
            return ErrorValue.Instance;
        }
        if (target is not ListValue list)
        {
            return context.Report(ValueDiagnostics.NotIndexable(targetAt, target));
        }
        if (index is not IntValue i)
        {
            return context.Report(ValueDiagnostics.IndexNotInt(indexAt, index));
        }
        var position = i.Value < 0 ? i.Value + list.Items.Length : i.Value;
        return position >= 0 && position < list.Items.Length
            ? list.Items[(int)position]
            : context.Report(ValueDiagnostics.IndexOutOfRange(indexAt, i.Value, list.Items.Length));
    }

    private static Value Tensor(ElaborationContext context, TensorValue tensor, string member, Location at)
    {
        switch (member)
        {
            case "shape":
                return new ListValue([.. tensor.Shape.Dims.Select(DimValue)]);
            case "rank":
                return new IntValue(tensor.Rank);
            case "channels" when tensor.Rank >= 2:
                return DimValue(tensor.Shape[1]);
            case "channels":
                return context.Report(Diagnostics.ShapeDiagnostics.LayerShape(at, $"'channels' needs a tensor with at least 2 dimensions, got {tensor.Type}"));
            case "features" when tensor.Rank >= 1:
                return DimValue(tensor.Shape[tensor.Rank - 1]);
            case "features":
                return context.Report(Diagnostics.ShapeDiagnostics.LayerShape(at, $"'features' needs a tensor with at least 1 dimension, got {tensor.Type}"));
            default:
                return context.Report(NameDiagnostics.UnknownMember(at, member, "a tensor", TensorMembers));
        }
    }

    private static Value DimValue(IR.Dim dim) => dim.Symbol is { } symbol ? new BatchDimValue(symbol) : new IntValue(dim.FixedSize);
}
