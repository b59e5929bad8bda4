using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Data;
using ModelC.Tests;

namespace ModelC.Runtime.Tests.Checkpoints;

/// <summary>
/// Files written by an independent implementation of the format (tests/golden/make_safetensors_golden.py,
/// json + struct + numpy), holding the dtypes PyTorch writes.
/// </summary>
public sealed class PythonGoldenTests
{
    [Theory]
    [InlineData("python.safetensors")]
    [InlineData("python_crc.safetensors")]
    public void ReadsEveryTensorWithItsExpectedValues(string file)
    {
        var checkpoint = SafetensorsFile.Read(RepositoryPaths.Get("tests", "golden", "checkpoints", file));

        // Header order, although the data lies in the reverse order.
        Assert.Equal(["embed.weight", "token_ids", "scale", "temperature", "step", "counts", "half", "bhalf", "mask", "empty"], checkpoint.Tensors.Keys);
        var t = checkpoint.Tensors;
        DataArrayAssert.Same(DataArray.Of([0.5f, -1.25f, 3f, 1e-3f, 2.5e6f, -0f], 2, 3), t["embed.weight"]);
        DataArrayAssert.Same(DataArray.Of([7, -3, int.MaxValue, int.MinValue], 4), t["token_ids"]);
        // float64 narrowed: 1e300 is beyond float32 and becomes infinity.
        DataArrayAssert.Same(DataArray.Of([0.1f, -2f, float.PositiveInfinity], 3), t["scale"]);
        DataArrayAssert.Same(DataArray.Of([0.75f], []), t["temperature"]);
        DataArrayAssert.Same(DataArray.Of([123456], []), t["step"]);
        DataArrayAssert.Same(DataArray.Of([-5, int.MaxValue], 2), t["counts"]);
        DataArrayAssert.Same(DataArray.Of([1.5f, -0.25f], 2), t["half"]);
        DataArrayAssert.Same(DataArray.Of([3f, -0.5f], 2), t["bhalf"]);
        DataArrayAssert.Same(DataArray.Of(new byte[] { 1, 0, 1 }, 3), t["mask"]);
        DataArrayAssert.Same(DataArray.Of(Array.Empty<float>(), 0, 4), t["empty"]);

        Assert.Equal("pt", checkpoint.Metadata["format"]);
        Assert.Equal("make_safetensors_golden.py", checkpoint.Metadata["made_by"]);
        Assert.Equal(file == "python_crc.safetensors", checkpoint.Metadata.ContainsKey(SafetensorsFile.ChecksumKey));
    }

    [Fact]
    public void PythonsChecksumIsTheOneThisWriterComputes()
    {
        var path = RepositoryPaths.Get("tests", "golden", "checkpoints", "python_crc.safetensors");
        var bytes = File.ReadAllBytes(path);
        var dataStart = 8 + (int)BitConverter.ToUInt64(bytes, 0);
        Assert.Equal("e564fdf3", SafetensorsFile.Read(path).Metadata[SafetensorsFile.ChecksumKey]);
        Assert.Equal(0xe564fdf3u, Crc32C.Compute(bytes.AsSpan(dataStart)));
    }

    [Fact]
    public void RewritingPythonsFileKeepsEveryValue()
    {
        var original = SafetensorsFile.Read(RepositoryPaths.Get("tests", "golden", "checkpoints", "python.safetensors"));
        using var dir = new TempDirectory();
        var path = dir.File("resaved.safetensors");
        SafetensorsFile.Write(path, original.Tensors, original.Metadata);
        var again = SafetensorsFile.Read(path);
        foreach (var (name, array) in original.Tensors)
        {
            DataArrayAssert.Same(array, again.Tensors[name]);
        }
    }
}
