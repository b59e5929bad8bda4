using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>Member access (<c>x.shape</c>, <c>x.channels</c>, <c>list.length</c>).</summary>
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
            case SharedModule shared:
                return shared.Parameters.Find(member) is { } parameter
                    ? new TensorValue(parameter)
                    : context.Report(NameDiagnostics.UnknownMember(at, member, shared.Display,
                        shared.Parameters.Names.Count == 0 ? "its parameters, once it has been applied" : string.Join(", ", shared.Parameters.Names)));
            default:
                return context.Report(NameDiagnostics.UnknownMember(at, member, ValueDiagnostics.Describe(target), "none"));
        }
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
