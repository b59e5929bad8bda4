using ModelC.Runtime.Data;
using ModelC.Runtime.Manifest;
using ModelC.Tests;

namespace ModelC.Data.Tests.Formats;

/// <summary>
/// The files tests/golden/make_data_fixtures.py writes with numpy, and the values they hold
/// (after this library's conversions: float64 to float32, int64 and uint8 to int32).
/// </summary>
internal static class Fixtures
{
    public static string Path(string name) => RepositoryPaths.Get("tests", "golden", "data", name);

    public static readonly DataArray F32_2d = DataArray.Of([-1f, -0.5f, 0f, 0.5f, 1f, 1.5f], 2, 3);
    public static readonly DataArray F64_1d = DataArray.Of([0.1f, -2.5f, float.PositiveInfinity, -0f], 4);
    public static readonly DataArray I32_3d = DataArray.Of([.. Enumerable.Range(-12, 24)], 2, 3, 4);
    public static readonly DataArray I64_1d = DataArray.Of([-5, 0, int.MaxValue, int.MinValue], 4);
    public static readonly DataArray Bool_2d = DataArray.Of(new byte[] { 1, 0, 1, 0, 0, 1 }, 2, 3);
    public static readonly DataArray U8_1d = DataArray.Of([0, 1, 128, 255], 4);
    public static readonly DataArray Scalar_f32 = DataArray.Of([3.5f], []);
    public static readonly DataArray Empty_f32 = DataArray.Of(Array.Empty<float>(), 0, 3);
}
