using ModelC.Data.Formats;
using ModelC.Runtime.Checkpoints;
using ModelC.Tests;

namespace ModelC.Data.Tests.Formats;

public sealed class DataFileTests
{
    [Fact]
    public void NpyIsOneArrayNamedAfterTheFile()
    {
        var arrays = DataFile.Load(Fixtures.Path("i32_3d.npy"));
        Assert.Equal(["i32_3d"], arrays.Keys);
        DataArrayAssert.Same(Fixtures.I32_3d, arrays["i32_3d"]);
    }

    [Fact]
    public void NpzSafetensorsAndCsvByTheirNames()
    {
        Assert.Equal(["weights", "labels", "mask"], DataFile.Load(Fixtures.Path("arrays_compressed.npz")).Keys);
        var checkpoint = DataFile.Load(RepositoryPaths.Get("tests", "golden", "checkpoints", "python.safetensors"));
        Assert.Equal(0.75f, checkpoint["temperature"].Floats[0]);
        var csv = DataFile.Load(Fixtures.Path("iris_tiny.csv"));
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width", "species"], csv.Keys);
        Assert.Equal([0f, 1f, 2f, 0f], csv["species"].Floats);
    }

    [Fact]
    public void ExtensionsAreCaseInsensitive()
    {
        using var dir = new TempDirectory();
        var path = dir.File("UPPER.NPY");
        File.Copy(Fixtures.Path("f32_2d.npy"), path);
        DataArrayAssert.Same(Fixtures.F32_2d, DataFile.Load(path)["UPPER"]);
    }

    [Fact]
    public void UnknownExtensionsAndBadFilesAreRefused()
    {
        var e = Assert.Throws<DataFormatException>(() => DataFile.Load("data.parquet"));
        Assert.Equal("data.parquet: unknown file type '.parquet' (this loader reads .npy, .npz, .safetensors and .csv)", e.Message);
        Assert.Throws<DataFormatException>(() => DataFile.Load(Fixtures.Path("complex.npy")));

        using var dir = new TempDirectory();
        var bad = dir.File("bad.safetensors");
        File.WriteAllBytes(bad, [1, 2, 3]);
        Assert.Equal("file is 3 bytes, too short for a safetensors header", Assert.Throws<CheckpointFormatException>(() => DataFile.Load(bad)).Problem);
    }
}
