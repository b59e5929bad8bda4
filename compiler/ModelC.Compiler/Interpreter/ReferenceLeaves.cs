using System.Collections.Immutable;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Interpreter;

/// <summary>
/// The leaves computed from their attributes alone: <see cref="ConstantOp"/>, <see cref="IotaOp"/>
/// and <see cref="DimSizeOp"/>. (Inputs, parameters and states come from the caller.)
/// </summary>
internal static class ReferenceLeaves
{
    /// <summary>A tensor of <paramref name="shape"/> (resolved) filled with <paramref name="value"/>.</summary>
    public static HostTensor Constant(double value, ImmutableArray<int> shape) => HostTensor.Filled(shape, value);

    /// <summary>A tensor of <paramref name="shape"/> (resolved) whose elements are their index along <paramref name="axis"/>.</summary>
    public static HostTensor Iota(int axis, ImmutableArray<int> shape)
    {
        if (axis < 0 || axis >= shape.Length)
        {
            throw new InvalidOperationException($"axis {axis} out of range for {HostTensor.FormatShape(shape)}");
        }
        return HostTensor.FromFunction(shape, index => index[axis]);
    }

    /// <summary>The run-time size bound to <paramref name="symbol"/>, as a scalar.</summary>
    public static HostTensor DimSize(string symbol, IReadOnlyDictionary<string, int> bindings) =>
        bindings.TryGetValue(symbol, out var size)
            ? HostTensor.Scalar(size)
            : throw new InvalidOperationException($"no input or parameter binds the dimension '{symbol}'");
}
