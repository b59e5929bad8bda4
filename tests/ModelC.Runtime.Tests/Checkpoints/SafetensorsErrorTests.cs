using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Data;

namespace ModelC.Runtime.Tests.Checkpoints;

/// <summary>Each malformed file is refused with its problem named, and the message names the file.</summary>
public sealed class SafetensorsErrorTests
{
    private static string Problem(byte[] file)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, file);
        var e = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Read(path));
        Assert.Equal($"{path}: {e.Problem}", e.Message);
        return e.Problem;
    }

    private static string Problem(string header, params byte[] data) => Problem(SafetensorsBytes.Make(header, data));

    [Fact]
    public void TooShort() =>
        Assert.Equal("file is 5 bytes, too short for a safetensors header", Problem(new byte[5]));

    [Fact]
    public void HeaderLongerThanTheFile()
    {
        var file = new byte[40];
        BitConverter.GetBytes(999999ul).CopyTo(file, 0);
        Assert.Equal("header length 999999 exceeds the file size (40 bytes)", Problem(file));
    }

    [Fact]
    public void HeaderLongerThanTheLimit()
    {
        // A sparse file: 100 MB of nothing costs no disk.
        using var dir = new TempDirectory();
        var path = dir.File("huge.safetensors");
        using (var f = File.Create(path))
        {
            f.Write(BitConverter.GetBytes(100_000_001ul));
            f.SetLength(100_000_100);
        }
        var e = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Read(path));
        Assert.Equal("header length 100000001 exceeds the limit of 100000000 bytes", e.Problem);
    }

    [Fact]
    public void HeaderNotJson()
    {
        Assert.Equal("header is not valid JSON (line 1, byte 7)", Problem("""{"w": x}"""));
        Assert.Equal("header is not valid JSON (line 1, byte 1)", Problem(""));
        Assert.Equal("header is not a JSON object", Problem("[1, 2]"));
        Assert.Equal("header is not valid UTF-8", Problem(SafetensorsBytes.Make([.. "{\"w\":\""u8, 0xC3, .. "\"}"u8], [])));
    }

    [Fact]
    public void SizeDisagreesWithDtypeAndShape() =>
        Assert.Equal("tensor 'w': data_offsets [0, 24] do not match dtype F32 and shape [2, 2] (16 bytes)",
            Problem("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,24]}}""", new byte[24]));

    [Fact]
    public void OffsetsBackwards() =>
        Assert.Equal("tensor 'w': data_offsets [8, 4] do not match dtype F32 and shape [1] (4 bytes)",
            Problem("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}""", new byte[8]));

    [Fact]
    public void RunsPastTheData() =>
        Assert.Equal("tensor 'w': data_offsets [0, 16] run past the data section (8 bytes)",
            Problem("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", new byte[8]));

    [Fact]
    public void Overlap() =>
        Assert.Equal("tensor 'b' overlaps tensor 'w'",
            Problem("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", new byte[16]));

    [Fact]
    public void Gaps()
    {
        Assert.Equal("data section has 4 bytes no tensor covers",
            Problem("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", new byte[20]));
        Assert.Equal("data section has 4 bytes no tensor covers",
            Problem("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[4,20]}}""", new byte[20]));
        Assert.Equal("data section has 3 bytes no tensor covers", Problem("{}", new byte[3]));
    }

    [Fact]
    public void BadEntries()
    {
        Assert.Equal("tensor 'w': unsupported dtype 'C64' (this reader takes F32, F64, F16, BF16, I32, I64, I16, U16, I8, U8, BOOL)",
            Problem("""{"w":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}""", new byte[8]));
        Assert.Equal("tensor 'w' appears twice in the header",
            Problem("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8]));
        Assert.Equal("tensor 'w': entry is not a JSON object", Problem("""{"w":[1]}"""));
        Assert.Equal("tensor 'w': dtype is missing or not a string", Problem("""{"w":{"shape":[1],"data_offsets":[0,4]}}""", new byte[4]));
        Assert.Equal("tensor 'w': shape is missing or not an array", Problem("""{"w":{"dtype":"F32","shape":4,"data_offsets":[0,4]}}""", new byte[4]));
        Assert.Equal("tensor 'w': shape [2,-2] is not a list of non-negative integers",
            Problem("""{"w":{"dtype":"F32","shape":[2,-2],"data_offsets":[0,4]}}""", new byte[4]));
        Assert.Equal("tensor 'w': shape [1.5] is not a list of non-negative integers",
            Problem("""{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}""", new byte[4]));
        Assert.Equal("tensor 'w': shape [65536,65536] has more elements than an array holds",
            Problem("""{"w":{"dtype":"BOOL","shape":[65536,65536],"data_offsets":[0,4]}}""", new byte[4]));
        Assert.Equal("tensor 'w': data_offsets must be two non-negative integers [begin, end]",
            Problem("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}""", new byte[4]));
        Assert.Equal("tensor 'w': data_offsets must be two non-negative integers [begin, end]",
            Problem("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}""", new byte[4]));
    }

    [Fact]
    public void BadMetadata()
    {
        Assert.Equal("__metadata__ is not a JSON object", Problem("""{"__metadata__":[]}"""));
        Assert.Equal("__metadata__ value of 'epoch' is not a string", Problem("""{"__metadata__":{"epoch":3}}"""));
        Assert.Equal("__metadata__ has key 'a' twice", Problem("""{"__metadata__":{"a":"1","a":"2"}}"""));
        Assert.Equal("__metadata__ appears twice in the header", Problem("""{"__metadata__":{},"__metadata__":{}}"""));
        Assert.Equal("modelc.crc32c 'xyz' is not 8 hex digits", Problem("""{"__metadata__":{"modelc.crc32c":"xyz"}}"""));
    }

    [Fact]
    public void ValuesOutsideTheTargetType()
    {
        Assert.Equal("tensor 'i': element 1 is 4294967296, outside the int32 range",
            Problem("""{"i":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}""", SafetensorsBytes.Longs(-1, 1L << 32)));
        Assert.Equal("tensor 'm': element 2 is 2, not a bool (0 or 1)",
            Problem("""{"m":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}}""", 1, 0, 2));
    }

    [Fact]
    public void ChecksumMismatch()
    {
        using var dir = new TempDirectory();
        var path = dir.File("w.safetensors");
        SafetensorsFile.Write(path, [new("w", DataArray.Of([1f, 2f], 2))]);
        var bytes = File.ReadAllBytes(path);
        var stored = SafetensorsFile.Read(path).Metadata[SafetensorsFile.ChecksumKey];
        bytes[^1] ^= 0x01; // 2.0f's sign byte 0x40 becomes 0x41: a plausible float, caught only by the checksum
        var actual = Crc32C.Compute(bytes.AsSpan(bytes.Length - 8)).ToString("x8");
        Assert.Equal($"checksum mismatch: the file is corrupted (the data's CRC-32C is {actual}, the header says {stored})", Problem(bytes));
    }

    [Fact]
    public void AChecksumFailureIsReportedBeforeTheBadValueItCaused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.safetensors");
        SafetensorsFile.Write(path, [new("m", DataArray.Of(new byte[] { 1, 0 }, 2))]);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] = 7;
        Assert.StartsWith("checksum mismatch: the file is corrupted", Problem(bytes));
    }

    [Fact]
    public void AMissingFileIsAnIOErrorNotAFormatError()
    {
        using var dir = new TempDirectory();
        Assert.Throws<FileNotFoundException>(() => SafetensorsFile.Read(dir.File("absent.safetensors")));
    }
}
