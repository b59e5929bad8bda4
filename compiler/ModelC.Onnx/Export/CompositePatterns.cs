using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime.Data;

namespace ModelC.Onnx.Export;

/// <summary>
/// Recovers the layers that lowering (<c>ModelC.Compiler.Lowering</c>) spelled out in
/// primitives, by matching the exact shapes those functions build: a match rooted at a node is
/// written as one ONNX op (Conv, Gemm, LayerNormalization, Softmax…) instead of its primitives.
/// Patterns are tried from the graph's end, so the largest group (a convolution with its bias)
/// wins over its parts. A node inside a group that something else also reads is written again
/// on its own, so a match never changes what is computed.
/// </summary>
internal static class CompositePatterns
{
    /// <summary>The composite rooted at <paramref name="root"/>, or null.</summary>
    public static Composite? Match(Node root, int opset) =>
        Conv(root) ?? Im2colConv(root) ?? Gemm(root) ?? BatchNorm(root) ?? (opset >= 17 ? LayerNorm(root) : null) ?? Softmax(root) ?? LogSoftmax(root)
        ?? ConvTranspose(root) ?? Pool(root) ?? (opset >= 20 ? Gelu(root) : null) ?? Relu(root) ?? LeakyRelu(root) ?? Sigmoid(root);

    // max(x, 0)
    private static Composite? Relu(Node root) =>
        IsBinary(root, BinaryKind.Max, out var x, out var zero) && IsScalar(zero, 0) ? Single("Relu", x) : null;

    // select(x > 0, x, x·slope)
    private static Composite? LeakyRelu(Node root)
    {
        if (root.Op is SelectOp && root.Inputs[0].Op is CompareOp { Kind: CompareKind.Gt } && IsScalar(root.Inputs[0].Inputs[1], 0)
            && root.Inputs[0].Inputs[0] is var x && root.Inputs[1] == x && IsBinary(root.Inputs[2], BinaryKind.Mul, out var x2, out var slope) && x2 == x
            && ScalarOf(slope) is { } alpha)
        {
            return new([x], (w, v) => w.Add("LeakyRelu", v, OnnxAttribute.Float("alpha", alpha)));
        }
        return null;
    }

    // 1 / (exp(−x) + 1)
    private static Composite? Sigmoid(Node root) =>
        IsUnary(root, UnaryKind.Reciprocal, out var sum) && IsBinary(sum, BinaryKind.Add, out var exp, out var one) && IsScalar(one, 1)
        && IsUnary(exp, UnaryKind.Exp, out var neg) && IsUnary(neg, UnaryKind.Neg, out var x)
            ? Single("Sigmoid", x) : null;

    // x·0.5 · (erf(x/√2) + 1)
    private static Composite? Gelu(Node root) =>
        IsBinary(root, BinaryKind.Mul, out var half, out var sum) && IsBinary(half, BinaryKind.Mul, out var x, out var c) && IsScalar(c, 0.5)
        && IsBinary(sum, BinaryKind.Add, out var erf, out var one) && IsScalar(one, 1) && IsUnary(erf, UnaryKind.Erf, out var scaled)
        && IsBinary(scaled, BinaryKind.Mul, out var x2, out var r) && x2 == x && IsScalar(r, 1 / Math.Sqrt(2))
            ? Single("Gelu", x) : null;

    // exp(x − max x) / Σ exp(x − max x)
    private static Composite? Softmax(Node root)
    {
        if (IsBinary(root, BinaryKind.Div, out var exp, out var sum) && Unreduced(sum, out var reduced, out var axis)
            && reduced.Op is ReduceOp { Kind: ReduceKind.Sum } && reduced.Inputs[0] == exp
            && IsUnary(exp, UnaryKind.Exp, out var shifted) && ShiftedByMax(shifted, axis, out var x))
        {
            return new([x], (w, v) => w.Add("Softmax", v, OnnxAttribute.Int("axis", axis)));
        }
        return null;
    }

    // (x − max x) − log Σ exp(x − max x)
    private static Composite? LogSoftmax(Node root)
    {
        if (IsBinary(root, BinaryKind.Sub, out var shifted, out var logSum) && BroadcastBack(logSum, out var log, out var axis)
            && IsUnary(log, UnaryKind.Log, out var sum) && sum.Op is ReduceOp { Kind: ReduceKind.Sum } && IsUnary(sum.Inputs[0], UnaryKind.Exp, out var shifted2)
            && shifted2 == shifted && ShiftedByMax(shifted, axis, out var x))
        {
            return new([x], (w, v) => w.Add("LogSoftmax", v, OnnxAttribute.Int("axis", axis)));
        }
        return null;
    }

    // Normalization.LayerNorm: (x − mean) / √(var + ε) over the last axis, then ·weight and +bias.
    private static Composite? LayerNorm(Node root)
    {
        var (core, weight, bias) = Affine(root, a => a == root.Type.Rank - 1);
        if (core.Op is not BinaryOp { Kind: BinaryKind.Div } || core.Type.Rank == 0)
        {
            return null;
        }
        var axis = core.Type.Rank - 1;
        if (!(IsBinary(core, BinaryKind.Div, out var centered, out var std) && BroadcastBack(std, out var root2, out var stdAxis) && stdAxis == axis
            && IsUnary(root2, UnaryKind.Sqrt, out var shiftedVar) && IsBinary(shiftedVar, BinaryKind.Add, out var variance, out var epsNode) && ScalarOf(epsNode) is { } eps
            && IsMean(variance, axis, out var square) && IsBinary(square, BinaryKind.Mul, out var c1, out var c2) && c1 == centered && c2 == centered
            && IsBinary(centered, BinaryKind.Sub, out var x, out var meanNode) && BroadcastBack(meanNode, out var mean, out var meanAxis) && meanAxis == axis
            && IsMean(mean, axis, out var x2) && x2 == x))
        {
            return null;
        }
        var size = x.Type.Shape[axis].FixedSize;
        Node[] inputs = weight is null ? [x] : bias is null ? [x, weight] : [x, weight, bias];
        return new(inputs, (w, v) =>
        {
            var scale = weight is null ? w.Initializer(w.Fresh("ones"), DataArray.Of(Enumerable.Repeat(1f, size).ToArray(), size)) : v[1];
            return w.Add("LayerNormalization", bias is null ? [v[0], scale] : [v[0], scale, v[2]], OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", eps));
        });
    }

    // Normalization.BatchNorm in inference: (x − mean) · (1 / √(var + ε)) · weight + bias along axis 1.
    private static Composite? BatchNorm(Node root)
    {
        var (core, weight, bias) = Affine(root, a => a == 1);
        if (weight is null || bias is null || root.Type.Rank < 2
            || !(IsBinary(core, BinaryKind.Mul, out var centered, out var inverse) && AlongChannels(inverse, out var reciprocal)
            && IsUnary(reciprocal, UnaryKind.Reciprocal, out var root2) && IsUnary(root2, UnaryKind.Sqrt, out var shiftedVar) && IsBinary(shiftedVar, BinaryKind.Add, out var variance, out var epsNode) && ScalarOf(epsNode) is { } eps
            && IsBinary(centered, BinaryKind.Sub, out var x, out var meanNode) && AlongChannels(meanNode, out var mean)
            && mean.Op is StateOp && variance.Op is StateOp))
        {
            return null;
        }
        return new([x, weight, bias, mean, variance], (w, v) => w.Add("BatchNormalization", v, OnnxAttribute.Float("epsilon", eps)));
    }

    // Convolution.Conv2d with one group: unfold the (zero-padded) input, contract with the weight, + bias.
    private static Composite? Conv(Node root)
    {
        var contract = root;
        Node? bias = null;
        if (IsBinary(root, BinaryKind.Add, out var sum, out var b) && AlongChannels(b, out var biasNode) && biasNode.Type.Rank == 1)
        {
            (contract, bias) = (sum, biasNode);
        }
        if (contract.Op is not ContractOp c || !c.Left.SequenceEqual([0, 1, 2, 3, 4, 5]) || !c.Right.SequenceEqual([6, 1, 2, 3]) || !c.Output.SequenceEqual([0, 6, 4, 5])
            || contract.Inputs[0].Op is not UnfoldOp unfold)
        {
            return null;
        }
        var (x, pads) = Unpadded(contract.Inputs[0].Inputs[0], 0);
        var window = unfold.Window;
        Node[] inputs = bias is null ? [x, contract.Inputs[1]] : [x, contract.Inputs[1], bias];
        return new(inputs, (w, v) => w.Add("Conv", v, OnnxAttribute.Ints("kernel_shape", window.KernelH, window.KernelW), OnnxAttribute.Ints("strides", window.StrideH, window.StrideW),
            OnnxAttribute.Ints("dilations", window.DilationH, window.DilationW), OnnxAttribute.Ints("pads", pads)));
    }

    // A convolution written as im2col, a linear layer and col2im (std.einspace's einconv):
    // reshape(permute(linear(permute(reshape(unfold(pad(x))))))) back to [B, O, H', W'].
    private static Composite? Im2colConv(Node root)
    {
        if (root.Op is not ReshapeOp || root.Type.Rank != 4 || root.Inputs[0].Op is not PermuteOp { Permutation: [0, 2, 1] })
        {
            return null;
        }
        var linear = root.Inputs[0].Inputs[0];
        Node? bias = null;
        if (IsBinary(linear, BinaryKind.Add, out var product, out var b) && Along(b, a => a == 2, out var biasNode))
        {
            (linear, bias) = (product, biasNode);
        }
        if (linear.Op is not ContractOp c || !c.Left.SequenceEqual([0, 1, 2]) || !c.Right.SequenceEqual([3, 2]) || !c.Output.SequenceEqual([0, 1, 3])
            || linear.Inputs[0].Op is not PermuteOp { Permutation: [0, 2, 1] } || linear.Inputs[0].Inputs[0].Op is not ReshapeOp
            || linear.Inputs[0].Inputs[0].Inputs[0] is not { Op: UnfoldOp unfold } cols || cols.Type.Rank != 6)
        {
            return null;
        }
        var (x, pads) = Unpadded(cols.Inputs[0], 0);
        var window = unfold.Window;
        var weight = linear.Inputs[1];
        var kernel = Shape.Of(weight.Type.Shape[0].FixedSize, cols.Type.Shape[1].FixedSize, window.KernelH, window.KernelW);
        Node[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return new(inputs, (w, v) => w.Add("Conv", [v[0], w.Add("Reshape", [v[1], w.ShapeOf(kernel)]), .. v.Skip(2)],
            OnnxAttribute.Ints("kernel_shape", window.KernelH, window.KernelW), OnnxAttribute.Ints("strides", window.StrideH, window.StrideW),
            OnnxAttribute.Ints("dilations", window.DilationH, window.DilationW), OnnxAttribute.Ints("pads", pads)));
    }

    // Convolution.ConvTranspose2d: contract the input with the weight into windows, fold them.
    private static Composite? ConvTranspose(Node root)
    {
        if (root.Op is not FoldOp fold || root.Inputs[0].Op is not ContractOp c || root.Inputs[0].Type.Rank != 6
            || !c.Left.SequenceEqual([0, 1, 2, 3]) || !c.Right.SequenceEqual([1, 4, 5, 6]) || !c.Output.SequenceEqual([0, 4, 5, 6, 2, 3]))
        {
            return null;
        }
        var window = fold.Window;
        var windows = root.Inputs[0].Type.Shape;
        var reachH = (windows[4].FixedSize - 1L) * window.StrideH + (window.KernelH - 1L) * window.DilationH + 1;
        var reachW = (windows[5].FixedSize - 1L) * window.StrideW + (window.KernelW - 1L) * window.DilationW + 1;
        if (reachH != fold.Height || reachW != fold.Width)
        {
            return null;
        }
        return new(root.Inputs[0].Inputs, (w, v) => w.Add("ConvTranspose", v, OnnxAttribute.Ints("kernel_shape", window.KernelH, window.KernelW),
            OnnxAttribute.Ints("strides", window.StrideH, window.StrideW), OnnxAttribute.Ints("dilations", window.DilationH, window.DilationW)));
    }

    // Convolution.Pool2d: the max, or the sum times 1/k², of each window of a padded NCHW input.
    private static Composite? Pool(Node root)
    {
        var reduce = root;
        var average = IsBinary(root, BinaryKind.Mul, out var summed, out var scale) && ScalarOf(scale) is not null;
        if (average)
        {
            reduce = summed;
        }
        if (reduce.Op is not ReduceOp r || r.Kind != (average ? ReduceKind.Sum : ReduceKind.Max) || !r.Axes.SequenceEqual([2, 3])
            || reduce.Inputs[0].Op is not UnfoldOp { Window: { DilationH: 1, DilationW: 1 } window } || reduce.Inputs[0].Type.Rank != 6)
        {
            return null;
        }
        if (average && Math.Abs(ScalarOf(scale)!.Value * window.KernelH * window.KernelW - 1) > 1e-12)
        {
            return null;
        }
        var (x, pads) = Unpadded(reduce.Inputs[0].Inputs[0], average ? 0 : double.NegativeInfinity);
        return new([x], (w, v) => w.Add(average ? "AveragePool" : "MaxPool", v,
            [OnnxAttribute.Ints("kernel_shape", window.KernelH, window.KernelW), OnnxAttribute.Ints("strides", window.StrideH, window.StrideW), OnnxAttribute.Ints("pads", pads),
            .. average ? [OnnxAttribute.Int("count_include_pad", 1)] : Array.Empty<Proto.AttributeProto>()]));
    }

    // A two-dimensional linear layer: x·Wᵀ + b as one Gemm.
    private static Composite? Gemm(Node root)
    {
        if (IsBinary(root, BinaryKind.Add, out var product, out var b) && b.Op is BroadcastOp { Axes: [1] } && b.Inputs[0].Type.Rank == 1
            && product.Op is ContractOp c && c.Left.SequenceEqual([0, 1]) && c.Right.SequenceEqual([2, 1]) && c.Output.SequenceEqual([0, 2]))
        {
            return new([product.Inputs[0], product.Inputs[1], b.Inputs[0]], (w, v) => w.Add("Gemm", v, OnnxAttribute.Int("transB", 1)));
        }
        return null;
    }

    // The node and its ·weight, +bias broadcast along an axis the predicate accepts (either may be absent).
    private static (Node Core, Node? Weight, Node? Bias) Affine(Node root, Func<int, bool> axis)
    {
        Node? weight = null, bias = null;
        var core = root;
        if (IsBinary(core, BinaryKind.Add, out var scaled, out var b) && Along(b, axis, out var biasNode))
        {
            (core, bias) = (scaled, biasNode);
        }
        if (IsBinary(core, BinaryKind.Mul, out var normalized, out var s) && Along(s, axis, out var weightNode))
        {
            (core, weight) = (normalized, weightNode);
        }
        return weight is null && bias is not null ? (root, null, null) : (core, weight, bias);
    }

    // x − broadcast(reduce_max(x)) along one axis
    private static bool ShiftedByMax(Node shifted, int axis, out Node x)
    {
        x = shifted;
        return IsBinary(shifted, BinaryKind.Sub, out x, out var max) && Unreduced(max, out var reduced, out var maxAxis) && maxAxis == axis
            && reduced.Op is ReduceOp { Kind: ReduceKind.Max } && reduced.Inputs[0] == x;
    }

    // reduce_sum(x, axis) / n, where n is the axis's size
    private static bool IsMean(Node node, int axis, out Node x)
    {
        x = node;
        if (!IsBinary(node, BinaryKind.Div, out var sum, out var count) || sum.Op is not ReduceOp { Kind: ReduceKind.Sum } reduce || !reduce.Axes.SequenceEqual([axis]))
        {
            return false;
        }
        x = sum.Inputs[0];
        return x.Type.Shape[axis].IsFixed && ScalarOf(count) == x.Type.Shape[axis].FixedSize;
    }

    // A zero-padded (or −∞-padded) input's source and its NCHW pads, or the input itself with no pads.
    private static (Node X, long[] Pads) Unpadded(Node node, double value)
    {
        if (node.Op is PadOp pad && node.Type.Rank == 4 && pad.Value.Equals(value) && pad.Padding.All(p => p.Axis >= 2))
        {
            var pads = new long[4];
            foreach (var p in pad.Padding)
            {
                pads[p.Axis - 2] = p.Low;
                pads[p.Axis] = p.High;
            }
            return (node.Inputs[0], pads);
        }
        return (node, [0, 0, 0, 0]);
    }

    private static Composite Single(string opType, Node x) => new([x], (w, v) => w.Add(opType, v));

    private static bool IsUnary(Node node, UnaryKind kind, out Node x)
    {
        x = node.Inputs.IsEmpty ? node : node.Inputs[0];
        return node.Op is UnaryOp u && u.Kind == kind;
    }

    private static bool IsBinary(Node node, BinaryKind kind, out Node a, out Node b)
    {
        (a, b) = node.Inputs.Length == 2 ? (node.Inputs[0], node.Inputs[1]) : (node, node);
        return node.Op is BinaryOp op && op.Kind == kind;
    }

    // A reduction over one axis, broadcast back over that axis.
    private static bool Unreduced(Node node, out Node reduced, out int axis) =>
        BroadcastBack(node, out reduced, out axis) && reduced.Op is ReduceOp r && r.Axes.SequenceEqual([axis]);

    // A value broadcast over one new axis (a reduced value, or a function of one, put back).
    private static bool BroadcastBack(Node node, out Node inner, out int axis)
    {
        (inner, axis) = (node.Inputs.IsEmpty ? node : node.Inputs[0], -1);
        if (node.Op is not BroadcastOp broadcast || broadcast.Axes.Length != node.Type.Rank - 1)
        {
            return false;
        }
        axis = Enumerable.Range(0, node.Type.Rank).Except(broadcast.Axes).Single();
        return true;
    }

    // A vector broadcast along axis 1 (per channel).
    private static bool AlongChannels(Node node, out Node vector) => Along(node, a => a == 1, out vector);

    private static bool Along(Node node, Func<int, bool> axis, out Node vector)
    {
        vector = node.Inputs.IsEmpty ? node : node.Inputs[0];
        return node.Op is BroadcastOp { Axes: [var a] } && axis(a) && vector.Type.Rank == 1;
    }

    private static bool IsScalar(Node node, double value) => ScalarOf(node) == value;

    // The value of a constant, or of a broadcast constant.
    private static double? ScalarOf(Node node) => node.Op switch
    {
        ConstantOp c => c.Value,
        BroadcastOp => ScalarOf(node.Inputs[0]),
        _ => null,
    };
}
