using ModelC.Runtime;
using ModelC.Runtime.Data;
using ModelC.Runtime.Manifest;

namespace ModelC.Tests;

/// <summary>Equality of arrays read from files. Shared by the test projects (linked into each).</summary>
internal static class DataArrayAssert
{
    /// <summary>Same type, shape and elements; floats compared bitwise, so NaN payloads and the sign of zero count.</summary>
    public static void Same(DataArray expected, DataArray actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.ShapeText, actual.ShapeText);
        switch (expected.Type)
        {
            case ElementType.F32:
                Assert.Equal(expected.Floats.Select(BitConverter.SingleToInt32Bits), actual.Floats.Select(BitConverter.SingleToInt32Bits));
                break;
            case ElementType.I32:
                Assert.Equal(expected.Ints, actual.Ints);
                break;
            default:
                Assert.Equal(expected.Bytes, actual.Bytes);
                break;
        }
    }
}
