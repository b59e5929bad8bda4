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

    /// <summary>An initializer's values: float tensors as f32, integer ones (int32, int64) as i32.</summary>
    /// <exception cref="InvalidDataException">The tensor's type is not float, int32 or int64, or its data is external.</exception>
    public static DataArray FromTensor(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var shape = tensor.Dims.Select(d => checked((int)d)).ToArray();
        var raw = tensor.RawData.Span;
        switch ((TensorProto.Types.DataType)tensor.DataType)
        {
            case TensorProto.Types.DataType.Float:
                return DataArray.Of(raw.Length > 0 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw).ToArray() : [.. tensor.FloatData], shape);
            case TensorProto.Types.DataType.Int32:
                return DataArray.Of(raw.Length > 0 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(raw).ToArray() : [.. tensor.Int32Data], shape);
            case TensorProto.Types.DataType.Int64:
                var longs = raw.Length > 0 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(raw).ToArray() : [.. tensor.Int64Data];
                return DataArray.Of(longs.Select(v => checked((int)v)).ToArray(), shape);
            default:
                throw new InvalidDataException($"tensor '{tensor.Name}' has ONNX data type {tensor.DataType}, which ModelC does not import");
        }
    }
}
