using ModelC.Runtime.Data;

namespace ModelC.Runtime.Checkpoints;

/// <summary>
/// The safetensors element types this runtime reads, by header name, and the runtime types they
/// become (<see cref="StoredElement"/>): files from PyTorch commonly hold float64, float16,
/// bfloat16 or int64.
/// </summary>
internal static class SafetensorsDType
{
    private static readonly StoredElement[] Types =
    [
        StoredElement.Float32("F32"), StoredElement.Float64("F64"), StoredElement.Float16("F16"), StoredElement.BFloat16("BF16"),
        StoredElement.Int32("I32"), StoredElement.Int64("I64"), StoredElement.Int16("I16"), StoredElement.UInt16("U16"),
        StoredElement.Int8("I8"), StoredElement.UInt8("U8"), StoredElement.Bool("BOOL"),
    ];

    /// <summary>The types read, by header name.</summary>
    public static IReadOnlyDictionary<string, StoredElement> All { get; } = Types.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The names of the types read, for messages.</summary>
    public static string Names { get; } = string.Join(", ", Types.Select(t => t.Name));
}
