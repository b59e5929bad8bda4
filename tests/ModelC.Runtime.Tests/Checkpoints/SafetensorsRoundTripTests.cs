using System.Text;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Data;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Tests.Checkpoints;

public sealed class SafetensorsRoundTripTests
{
    /// <summary>Every element type, scalars, empty tensors, and float values that equality hides (NaN, -0).</summary>
    internal static KeyValuePair<string, DataArray>[] AllKinds()
    {
        var random = new Random(3);
        var noise = Enumerable.Range(0, 1000).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray();
        return
        [
            new("layer.0.weight", DataArray.Of([1f, -2.5f, 3e-8f, float.MaxValue, float.NaN, -0f], 2, 3)),
            new("layer.0.bias", DataArray.Of([0.5f, float.NegativeInfinity, float.Epsilon], 3)),
            new("noise", DataArray.Of(noise, 10, 10, 10)),
            new("step", DataArray.Of([42], [])),
            new("loss", DataArray.Of([0.125f], [])),
            new("flag", DataArray.Of(new byte[] { 1 }, [])),
            new("tokens", DataArray.Of([int.MinValue, -1, 0, int.MaxValue], 4)),
            new("mask", DataArray.Of(new byte[] { 1, 0, 0, 1, 1, 0 }, 2, 3)),
            new("empty.f32", DataArray.Of(Array.Empty<float>(), 0)),
            new("empty.i32", DataArray.Of(Array.Empty<int>(), 3, 0, 2)),
            new("empty.bool", DataArray.Of(Array.Empty<byte>(), 0, 5)),
            new("ünïcode + <names>", DataArray.Of([7f], 1)),
        ];
    }

    [Fact]
    public void EveryKindReadsBackIdenticallyInOrder()
    {
        using var dir = new TempDirectory();
        var path = dir.File("all.safetensors");
        var tensors = AllKinds();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "é \"quoted\"" };
        SafetensorsFile.Write(path, tensors, metadata);

        var read = SafetensorsFile.Read(path);
        Assert.Equal(tensors.Select(t => t.Key), read.Tensors.Keys);
        foreach (var (name, array) in tensors)
        {
            DataArrayAssert.Same(array, read.Tensors[name]);
        }
        Assert.Equal(["format", "note", SafetensorsFile.ChecksumKey, SafetensorsFile.MetadataChecksumKey], read.Metadata.Keys);
        Assert.Equal("é \"quoted\"", read.Metadata["note"]);
        Assert.Matches("^[0-9a-f]{8}$", read.Metadata[SafetensorsFile.ChecksumKey]);
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void DataStartsAtAMultipleOfEight()
    {
        using var dir = new TempDirectory();
        var path = dir.File("a.safetensors");
        for (var nameLength = 1; nameLength <= 9; nameLength++)
        {
            SafetensorsFile.Write(path, [new(new string('x', nameLength), DataArray.Of([1f], 1))]);
            var headerLength = BitConverter.ToUInt64(File.ReadAllBytes(path), 0);
            Assert.Equal(0ul, headerLength % 8);
        }
    }

    [Fact]
    public void NoTensorsIsAValidFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("none.safetensors");
        SafetensorsFile.Write(path, []);
        var read = SafetensorsFile.Read(path);
        Assert.Empty(read.Tensors);
        Assert.Equal([SafetensorsFile.ChecksumKey, SafetensorsFile.MetadataChecksumKey], read.Metadata.Keys);
    }

    [Fact]
    public void AStaleChecksumInTheMetadataIsReplaced()
    {
        using var dir = new TempDirectory();
        var path = dir.File("resaved.safetensors");
        SafetensorsFile.Write(path, [new("w", DataArray.Of([1f, 2f], 2))], new Dictionary<string, string> { [SafetensorsFile.ChecksumKey] = "00000000" });
        Assert.Equal(2f, SafetensorsFile.Read(path).Tensors["w"].Floats[1]);
    }

    /// <summary>The exact bytes the reference implementation writes for a tiny example.</summary>
    [Fact]
    public void LayoutMatchesTheSpecificationByteForByte()
    {
        using var dir = new TempDirectory();
        var path = dir.File("tiny.safetensors");
        SafetensorsFile.Write(path, [new("a", DataArray.Of([1f, -2f], 2)), new("m", DataArray.Of(new byte[] { 1 }, []))],
            new Dictionary<string, string> { ["k"] = "v" });

        // 195 bytes of compact JSON, 5 spaces of padding to 200 = 0xC8; 1b831ba8 is the CRC-32C
        // of the 9 data bytes, computed by the bitwise implementation in make_safetensors_golden.py;
        // 98e9c924 that of the metadata entry k=v as length-prefixed UTF-8 (1,0,0,0,'k',1,0,0,0,'v').
        const string header =
            """{"__metadata__":{"k":"v","modelc.crc32c":"1b831ba8","modelc.metadata.crc32c":"98e9c924"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"m":{"dtype":"BOOL","shape":[],"data_offsets":[8,9]}}     """;
        byte[] expected =
        [
            0xC8, 0, 0, 0, 0, 0, 0, 0,
            .. Encoding.ASCII.GetBytes(header),
            0x00, 0x00, 0x80, 0x3F, // 1.0f
            0x00, 0x00, 0x00, 0xC0, // -2.0f
            0x01,
        ];
        Assert.Equal(200, header.Length);
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void ConversionsWorkAcrossReadChunks()
    {
        // 300,000 float64 values are 2.4 MB, several of the reader's conversion chunks.
        const int n = 300_000;
        var values = Enumerable.Range(0, n).Select(i => i * 0.5).ToArray();
        var bytes = values.SelectMany(BitConverter.GetBytes).ToArray();
        using var dir = new TempDirectory();
        var path = dir.File("f64.safetensors");
        File.WriteAllBytes(path, SafetensorsBytes.Make($$$"""{"x":{"dtype":"F64","shape":[{{{n}}}],"data_offsets":[0,{{{n * 8}}}]}}""", bytes));
        var x = SafetensorsFile.Read(path).Tensors["x"];
        Assert.Equal(ElementType.F32, x.Type);
        Assert.Equal(values.Select(v => (float)v), x.Floats);
    }

    [Fact]
    public void NameEmptyReservedOrRepeatedIsRefusedBeforeWriting()
    {
        using var dir = new TempDirectory();
        var path = dir.File("x.safetensors");
        var one = DataArray.Of([1f], 1);
        Assert.Throws<ArgumentException>(() => SafetensorsFile.Write(path, [new("", one)]));
        Assert.Throws<ArgumentException>(() => SafetensorsFile.Write(path, [new("__metadata__", one)]));
        Assert.Throws<ArgumentException>(() => SafetensorsFile.Write(path, [new("a", one), new("a", one)]));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
