using System.Collections.Immutable;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Interpreter;

/// <summary><see cref="ReduceOp"/>: sums or maxima over a set of axes, which disappear from the shape.</summary>
internal static class ReferenceReduction
{
    /// <summary>
    /// Reduces <paramref name="x"/> over <paramref name="axes"/>. Sums accumulate in input order
    /// starting from 0; maxima start from −∞ and become NaN once any element is NaN.
    /// </summary>
    public static HostTensor Reduce(ReduceKind kind, ImmutableArray<int> axes, HostTensor x)
    {
        var reduced = new bool[x.Rank];
        foreach (var axis in axes)
        {
            reduced[axis] = true;
        }
        var keptAxes = Enumerable.Range(0, x.Rank).Where(a => !reduced[a]).ToArray();
        var outShape = keptAxes.Select(a => x.Shape[a]).ToImmutableArray();
        var outStrides = TensorLayout.Strides(outShape);

        var result = new double[HostTensor.ElementCount(outShape)];
        Array.Fill(result, kind == ReduceKind.Max ? double.NegativeInfinity : 0.0);

        // Every input element lands on the output element named by its kept coordinates.
        var index = new int[x.Rank];
        for (var flat = 0; flat < x.Length; flat++, TensorLayout.Advance(index, x.Shape))
        {
            var target = 0;
            for (var k = 0; k < keptAxes.Length; k++)
            {
                target += index[keptAxes[k]] * outStrides[k];
            }
            var value = x.Buffer[flat];
            result[target] = kind switch
            {
                ReduceKind.Sum => result[target] + value,
                ReduceKind.Max => double.IsNaN(value) || value > result[target] ? value : result[target],
                _ => throw new InvalidOperationException($"unknown reduction {kind}"),
            };
        }
        return HostTensor.Wrap(outShape, result);
    }
}
