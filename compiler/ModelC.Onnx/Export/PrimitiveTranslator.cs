using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;
using ModelC.Runtime.Data;

namespace ModelC.Onnx.Export;

/// <summary>
/// Writes one IR primitive as ONNX nodes. Most map to one ONNX op; those with no equivalent get
/// a decomposition: <c>unfold</c> is a concatenation of strided slices, one per kernel offset;
/// <c>fold</c> is a <c>ConvTranspose</c> with a one-hot kernel (which adds each window back
/// onto the grid); <c>iota</c> is a constant; a <c>gather</c>'s indices are clamped first, as
/// the IR's gather clamps and ONNX's refuses indices out of range.
/// </summary>
internal sealed class PrimitiveTranslator(OnnxGraphWriter writer)
{
    /// <summary>The value of <paramref name="node"/> computed from its operands' values.</summary>
    public ExportedValue Translate(Node node, IReadOnlyList<ExportedValue> inputs) => node.Op switch
    {
        ConstantOp constant => new(writer.Scalar(constant.Value, constant.Type.ElementType), []),
        IotaOp iota => Iota(iota),
        DimSizeOp size => new(writer.Add("Reshape", [writer.Add("Cast", [writer.SymbolSize(size.Symbol)], OnnxAttribute.Int("to", (long)Proto.TensorProto.Types.DataType.Float)), writer.Int64s()]), []),
        UnaryOp unary => Elementwise(unary.Kind.ToString(), inputs),
        BinaryOp binary => Elementwise(binary.Kind.ToString(), inputs),
        CompareOp { Kind: CompareKind.Ne } => Negated(Elementwise("Equal", inputs)),
        CompareOp compare => Elementwise(CompareName(compare.Kind), inputs),
        SelectOp => Elementwise("Where", inputs),
        CastOp cast => new(writer.Add("Cast", [inputs[0].Name], OnnxAttribute.Int("to", (long)OnnxTensors.DataTypeOf(cast.To))), inputs[0].Dims),
        BroadcastOp broadcast => Broadcast(node, broadcast, inputs[0]),
        ContractOp contract => Full(node, Contractions.Write(writer, contract, Full(node.Inputs[0], inputs[0]), Full(node.Inputs[1], inputs[1]))),
        ReduceOp reduce => Full(node, Reduce(reduce.Kind, Full(node.Inputs[0], inputs[0]), reduce.Axes)),
        ReshapeOp reshape => Full(node, Reshape(Full(node.Inputs[0], inputs[0]), reshape.Target)),
        PermuteOp permute => Full(node, writer.Add("Transpose", [Full(node.Inputs[0], inputs[0])], OnnxAttribute.Ints("perm", permute.Permutation.Select(p => (long)p)))),
        SliceOp slice => Full(node, writer.Add("Slice", [Full(node.Inputs[0], inputs[0]),
            writer.Int64s(slice.Ranges.Select(r => (long)r.Start)), writer.Int64s(slice.Ranges.Select(r => (long)r.End)), writer.Int64s(slice.Ranges.Select(r => (long)r.Axis))])),
        PadOp pad => Full(node, Pad(node, pad, Full(node.Inputs[0], inputs[0]))),
        ConcatOp concat => Full(node, writer.Add("Concat", [.. node.Inputs.Select((n, i) => Full(n, inputs[i]))], OnnxAttribute.Int("axis", concat.Axis))),
        ReverseOp reverse => Full(node, writer.Add("Slice", [Full(node.Inputs[0], inputs[0]),
            writer.Int64s(reverse.Axes.Select(_ => -1L)), writer.Int64s(reverse.Axes.Select(_ => long.MinValue)), writer.Int64s(reverse.Axes.Select(a => (long)a)), writer.Int64s(reverse.Axes.Select(_ => -1L))])),
        GatherOp gather => Full(node, Gather(node, gather, Full(node.Inputs[0], inputs[0]), Full(node.Inputs[1], inputs[1]))),
        UnfoldOp unfold => Full(node, Unfold(node.Inputs[0].Type.Shape, unfold.Window, Full(node.Inputs[0], inputs[0]))),
        FoldOp fold => Full(node, Fold(node, fold, Full(node.Inputs[0], inputs[0]))),
        _ => throw new OnnxExportException($"the IR op '{node.Op.Mnemonic}' has no ONNX form (it belongs to training graphs)"),
    };

    /// <summary>The name of <paramref name="value"/> expanded to the full shape of <paramref name="node"/>.</summary>
    public string Full(Node node, ExportedValue value) =>
        value.Covers(node) ? value.Name : writer.Add("Expand", [value.Name, writer.ShapeOf(node.Type.Shape)]);

    /// <summary>A reshape of a full value to <paramref name="target"/> (one symbolic dimension becomes −1).</summary>
    public string Reshape(string value, Shape target)
    {
        var symbolic = target.Dims.Count(d => !d.IsFixed);
        var shape = symbolic == 0 ? writer.ShapeOf(target)
            : symbolic == 1 ? writer.Int64s(target.Dims.Select(d => d.IsFixed ? (long)d.FixedSize : -1))
            : writer.ShapeOf(target);
        return writer.Add("Reshape", [value, shape]);
    }

    /// <summary>A reduction over <paramref name="axes"/>, which disappear.</summary>
    public string Reduce(ReduceKind kind, string value, IEnumerable<int> axes)
    {
        var list = axes.Select(a => (long)a).ToList();
        var keep = OnnxAttribute.Int("keepdims", 0);
        // ReduceSum takes its axes as an input from opset 13, ReduceMax only from opset 18.
        return kind == ReduceKind.Sum || writer.Opset >= 18
            ? writer.Add(kind == ReduceKind.Sum ? "ReduceSum" : "ReduceMax", [value, writer.Int64s(list)], keep)
            : writer.Add("ReduceMax", [value], keep, OnnxAttribute.Ints("axes", list));
    }

    private static ExportedValue Full(Node node, string name) => new(name, node.Type.Shape.Dims);

    private ExportedValue Elementwise(string opType, IReadOnlyList<ExportedValue> inputs) =>
        new(writer.Add(opType, inputs.Select(i => i.Name)), ExportedValue.Broadcast(inputs));

    private ExportedValue Negated(ExportedValue value) => value with { Name = writer.Add("Not", [value.Name]) };

    // A scalar stays a scalar (ONNX broadcasts it); otherwise the new axes after the first kept
    // one become size-1 axes, and the leading ones are left to ONNX's broadcasting.
    private ExportedValue Broadcast(Node node, BroadcastOp broadcast, ExportedValue input)
    {
        if (input.Dims.Count == 0)
        {
            return input;
        }
        var full = Full(node.Inputs[0], input);
        var first = broadcast.Axes[0];
        var inserted = Enumerable.Range(first, broadcast.Target.Rank - first).Where(a => !broadcast.Axes.Contains(a)).Select(a => (long)(a - first)).ToList();
        var name = inserted.Count == 0 ? full : writer.Add("Unsqueeze", [full, writer.Int64s(inserted)]);
        var dims = Enumerable.Range(first, broadcast.Target.Rank - first)
            .Select(a => broadcast.Axes.IndexOf(a) is var i and >= 0 ? node.Inputs[0].Type.Shape[i] : Dim.Of(1)).ToList();
        return new(name, dims);
    }

    private ExportedValue Iota(IotaOp iota)
    {
        var shape = iota.Type.Shape;
        if (!shape[iota.Axis].IsFixed)
        {
            throw new OnnxExportException($"iota along the symbolic dimension '{shape[iota.Axis]}' has no ONNX form");
        }
        var n = shape[iota.Axis].FixedSize;
        int[] dims = [n, .. Enumerable.Repeat(1, shape.Rank - iota.Axis - 1)];
        var array = iota.Type.ElementType == ElementType.I32
            ? DataArray.Of(Enumerable.Range(0, n).ToArray(), dims)
            : DataArray.Of(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), dims);
        return new(writer.Initializer(writer.Fresh("iota"), array), [.. dims.Select(Dim.Of)]);
    }

    private string Pad(Node node, PadOp pad, string value)
    {
        var rank = node.Type.Rank;
        var pads = new long[2 * rank];
        foreach (var axis in pad.Padding)
        {
            pads[axis.Axis] = axis.Low;
            pads[rank + axis.Axis] = axis.High;
        }
        return writer.Add("Pad", [value, writer.Int64s(pads), writer.Scalar(pad.Value, node.Type.ElementType)], OnnxAttribute.String("mode", "constant"));
    }

    private string Gather(Node node, GatherOp gather, string table, string indices)
    {
        var rows = node.Inputs[0].Type.Shape[gather.Axis].FixedSize;
        var clamped = writer.Add("Max", [writer.Add("Min", [indices, writer.Scalar(rows - 1, ElementType.I32)]), writer.Scalar(0, ElementType.I32)]);
        return writer.Add("Gather", [table, clamped], OnnxAttribute.Int("axis", gather.Axis));
    }

    // out[…, i, j, y, x] = in[…, y·sh + i·dh, x·sw + j·dw]: one strided slice per (i, j),
    // stacked along two new axes.
    private string Unfold(Shape input, Window2d w, string value)
    {
        var rank = input.Rank;
        var outH = Window2d.Positions(input[rank - 2].FixedSize, w.KernelH, w.StrideH, w.DilationH);
        var outW = Window2d.Positions(input[rank - 1].FixedSize, w.KernelW, w.StrideW, w.DilationW);
        var axes = writer.Int64s(rank - 2, rank - 1);
        var steps = writer.Int64s(w.StrideH, w.StrideW);
        var newAxes = writer.Int64s(rank - 2, rank - 1);
        var rows = new List<string>();
        for (var i = 0; i < w.KernelH; i++)
        {
            var columns = new List<string>();
            for (var j = 0; j < w.KernelW; j++)
            {
                long top = i * w.DilationH, left = j * w.DilationW;
                var window = writer.Add("Slice", [value, writer.Int64s(top, left), writer.Int64s(top + (outH - 1L) * w.StrideH + 1, left + (outW - 1L) * w.StrideW + 1), axes, steps]);
                columns.Add(writer.Add("Unsqueeze", [window, newAxes]));
            }
            rows.Add(columns.Count == 1 ? columns[0] : writer.Add("Concat", columns, OnnxAttribute.Int("axis", rank - 1)));
        }
        return rows.Count == 1 ? rows[0] : writer.Add("Concat", rows, OnnxAttribute.Int("axis", rank - 2));
    }

    // The windows (…, kh, kw, H', W') as kh·kw channels of one image per leading index, put back
    // by a transposed convolution whose kernel k[i·kw + j, 0, i, j] = 1; rows and columns no
    // window reaches are zero padding.
    private string Fold(Node node, FoldOp fold, string value)
    {
        var w = fold.Window;
        var shape = node.Inputs[0].Type.Shape;
        var rank = shape.Rank;
        var (outH, outW) = (shape[rank - 2].FixedSize, shape[rank - 1].FixedSize);
        var channels = w.KernelH * w.KernelW;
        var leading = shape.Dims.Take(rank - 4).ToList();
        // The leading dimensions flattened into one, written as −1 (a single unknown dimension).
        var images = Reshape(value, Shape.Of([Dim.Symbolic("n"), channels, outH, outW]));
        var kernel = new float[channels * channels];
        for (var c = 0; c < channels; c++)
        {
            kernel[c * channels + c] = 1;
        }
        var weight = writer.Initializer(writer.Fresh("fold_kernel"), DataArray.Of(kernel, channels, 1, w.KernelH, w.KernelW));
        var summed = writer.Add("ConvTranspose", [images, weight],
            OnnxAttribute.Ints("strides", w.StrideH, w.StrideW), OnnxAttribute.Ints("dilations", w.DilationH, w.DilationW), OnnxAttribute.Ints("kernel_shape", w.KernelH, w.KernelW));
        var reachH = (outH - 1L) * w.StrideH + (w.KernelH - 1L) * w.DilationH + 1;
        var reachW = (outW - 1L) * w.StrideW + (w.KernelW - 1L) * w.DilationW + 1;
        if (reachH < fold.Height || reachW < fold.Width)
        {
            summed = writer.Add("Pad", [summed, writer.Int64s(0, 0, 0, 0, 0, 0, fold.Height - reachH, fold.Width - reachW)], OnnxAttribute.String("mode", "constant"));
        }
        return Reshape(summed, Shape.Of([.. leading, fold.Height, fold.Width]));
    }

    // The IR's unary and binary kinds are named as ONNX names their ops (Neg, Erf, Max, Pow…).
    private static string CompareName(CompareKind kind) => kind switch
    {
        CompareKind.Eq => "Equal",
        CompareKind.Lt => "Less",
        CompareKind.Le => "LessOrEqual",
        CompareKind.Gt => "Greater",
        _ => "GreaterOrEqual",
    };
}
