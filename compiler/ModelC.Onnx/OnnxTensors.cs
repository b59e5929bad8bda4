using Google.Protobuf;
using ModelC.Onnx.Proto;
using ModelC.Runtime;
using ModelC.Runtime.Data;

namespace ModelC.Onnx;

/// <summary>Converts between ModelC's element types and tensors and ONNX's <see cref="TensorProto"/>.</summary>
public static class OnnxTensors
{
    /// <summary>The ONNX data type of a ModelC element type.</summary>
    public static TensorProto.Types.DataType DataTypeOf(ElementType type) => type switch
    {
        ElementType.F32 => TensorProto.Types.DataType.Float,
        ElementType.I32 => TensorProto.Types.DataType.Int32,
        _ => TensorProto.Types.DataType.Bool,
    };

    /// <summary>A named initializer holding <paramref name="array"/> in raw little-endian bytes.</summary>
    public static TensorProto ToTensor(string name, DataArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var bytes = array.Type switch
        {
            ElementType.F32 => ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(((float[])array.Data).AsSpan())),
            ElementType.I32 => ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(((int[])array.Data).AsSpan())),
            _ => ByteString.CopyFrom((byte[])array.Data),
        };
        var tensor = new TensorProto { Name = name, DataType = (int)DataTypeOf(array.Type), RawData = bytes };
        tensor.Dims.AddRange(array.Shape.Select(d => (long)d));
        return tensor;
    }

    /// <summary>A named int64 vector (shapes, axes, pads: ONNX takes them as int64 tensors).</summary>
    public static TensorProto Int64s(string name, IEnumerable<long> values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Int64Data.AddRange(values);
        tensor.Dims.Add(tensor.Int64Data.Count);
        return tensor;
    }
}
