using ModelC.Runtime.Data;

namespace ModelC.Data.Formats;

/// <summary>
/// The .npy element types this reader takes, by numpy type string (<c>&lt;f4</c>…), and the
/// runtime types they become (<see cref="StoredElement"/>): uint8 widens to int32, since class
/// labels and pixel values are commonly stored so.
/// </summary>
internal static class NpyDType
{
    private static readonly StoredElement[] Types = [StoredElement.Float32("<f4"), StoredElement.Float64("<f8"), StoredElement.Int32("<i4"), StoredElement.Int64("<i8"), StoredElement.Bool("|b1"), StoredElement.UInt8("|u1")];

    /// <summary>The types read, by type string.</summary>
    public static IReadOnlyDictionary<string, StoredElement> All { get; } = Types.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The names of the types read, for messages.</summary>
    public static string Names { get; } = string.Join(", ", Types.Select(t => t.Name));
}
