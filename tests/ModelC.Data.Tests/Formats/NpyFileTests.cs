using System.Text;
using ModelC.Data.Formats;
using ModelC.Runtime.Data;

namespace ModelC.Data.Tests.Formats;

public sealed class NpyFileTests
{
    public static TheoryData<string> Readable => ["f32_2d", "f32_2d_v2", "f32_2d_v3", "f64_1d", "i32_3d", "i64_1d", "bool_2d", "u8_1d", "scalar_f32", "empty_f32"];

    private static DataArray Expected(string stem) => stem switch
    {
        "f32_2d" or "f32_2d_v2" or "f32_2d_v3" => Fixtures.F32_2d,
        "f64_1d" => Fixtures.F64_1d,
        "i32_3d" => Fixtures.I32_3d,
        "i64_1d" => Fixtures.I64_1d,
        "bool_2d" => Fixtures.Bool_2d,
        "u8_1d" => Fixtures.U8_1d,
        "scalar_f32" => Fixtures.Scalar_f32,
        _ => Fixtures.Empty_f32,
    };

    [Theory]
    [MemberData(nameof(Readable))]
    public void ReadsWhatNumpyWrote(string stem) =>
        DataArrayAssert.Same(Expected(stem), NpyFile.Read(Fixtures.Path(stem + ".npy")));

    [Theory]
    [InlineData("f32_2d")]
    [InlineData("i32_3d")]
    [InlineData("bool_2d")]
    [InlineData("scalar_f32")]
    [InlineData("empty_f32")]
    public void WritesTheBytesNumpyWrites(string stem)
    {
        using var dir = new TempDirectory();
        var path = dir.File(stem + ".npy");
        NpyFile.Write(path, Expected(stem));
        Assert.Equal(File.ReadAllBytes(Fixtures.Path(stem + ".npy")), File.ReadAllBytes(path));
    }

    [Fact]
    public void AStreamHoldsArraysOneAfterAnother()
    {
        // np.save to one open file appends; reading a stream stops after each array.
        using var stream = new MemoryStream();
        NpyFile.Write(stream, Fixtures.F32_2d);
        NpyFile.Write(stream, Fixtures.I32_3d);
        stream.Position = 0;
        DataArrayAssert.Same(Fixtures.F32_2d, NpyFile.Read(stream));
        DataArrayAssert.Same(Fixtures.I32_3d, NpyFile.Read(stream));
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void LargeConvertedArraysCrossReadChunks()
    {
        // 200,000 int64 values are 1.6 MB, more than one conversion chunk.
        var values = Enumerable.Range(0, 200_000).Select(i => (long)i - 100_000).ToArray();
        var header = "{'descr': '<i8', 'fortran_order': False, 'shape': (200000,), }".PadRight(117) + "\n";
        using var stream = new MemoryStream();
        stream.Write([0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0]);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(values.SelectMany(BitConverter.GetBytes).ToArray());
        stream.Position = 0;
        Assert.Equal(values.Select(v => (int)v), NpyFile.Read(stream).Ints);
    }

    private static string Problem(string fixture)
    {
        var path = Fixtures.Path(fixture);
        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path));
        Assert.Equal($"{path}: {e.Problem}", e.Message);
        return e.Problem;
    }

    private static string Problem(byte[] bytes) =>
        Assert.Throws<DataFormatException>(() => NpyFile.Read(new MemoryStream(bytes), "bad.npy")).Problem;

    private static byte[] WithHeader(string dict, int major = 1, params byte[] data)
    {
        var header = Encoding.ASCII.GetBytes(dict + "\n");
        return [0x93, .. "NUMPY"u8, (byte)major, 0, (byte)header.Length, 0, .. header, .. data];
    }

    [Fact]
    public void RefusesWhatItDoesNotTake()
    {
        Assert.Equal("fortran_order is True (column-major), which this reader does not take; save np.ascontiguousarray(a) instead", Problem("fortran.npy"));
        Assert.Equal("dtype '>f4' is big-endian, which this reader does not take; save a.astype('<f4') instead", Problem("big_endian.npy"));
        Assert.Equal("unsupported dtype '<c8' (this reader takes <f4, <f8, <i4, <i8, |b1, |u1)", Problem("complex.npy"));
        Assert.Equal("element 1 is 1099511627776, outside the int32 range", Problem("i64_too_big.npy"));
        Assert.Equal("unsupported dtype [('a', '<f4'), ('b', '<i4')] (structured and object arrays are not supported; this reader takes <f4, <f8, <i4, <i8, |b1, |u1)",
            Problem(WithHeader("{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (1,), }", 1, new byte[8])));
        Assert.Equal("element 1 is 2, not a bool (0 or 1)",
            Problem(WithHeader("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", 1, 1, 2)));
    }

    [Fact]
    public void RefusesMalformedFiles()
    {
        var good = File.ReadAllBytes(Fixtures.Path("f32_2d.npy"));
        Assert.Equal("not an .npy file (bad magic bytes)", Problem([.. "PK\x03\x04"u8, .. good[4..]]));
        Assert.Equal("not an .npy file (bad magic bytes)", Problem([(byte)'x']));
        Assert.Equal("empty: no .npy header", Problem([]));
        Assert.Equal("unsupported .npy format version 4.0", Problem([.. good[..6], 4, .. good[7..]]));
        Assert.Equal("truncated: the file ends inside the header", Problem(good[..9]));
        Assert.Equal("truncated: the file ends inside the header", Problem(good[..100]));
        Assert.Equal("truncated: the data is 20 bytes, shape (2, 3) of <f4 needs 24", Problem(good[..^4]));
        Assert.Equal("header is not a Python dict literal (expected ',' or '}' at character 17)",
            Problem(WithHeader("{'descr': '<f4' 'fortran_order': False, 'shape': (1,), }")));
        Assert.Equal("header lacks 'shape'", Problem(WithHeader("{'descr': '<f4', 'fortran_order': False}")));
        Assert.Equal("header has unexpected key 'x'", Problem(WithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': 1}")));
        Assert.Equal("shape (2, -1) is not a tuple of non-negative integers", Problem(WithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }")));
        Assert.Equal("header is not a dict", Problem(WithHeader("[1, 2]")));
        Assert.Equal("header is not valid UTF-8", Problem([0x93, .. "NUMPY"u8, 3, 0, 3, 0, 0, 0, (byte)'{', 0xC3, (byte)'}']));
    }

    [Fact]
    public void BytesAfterTheArrayAreRefusedInAFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("extra.npy");
        File.WriteAllBytes(path, [.. File.ReadAllBytes(Fixtures.Path("f32_2d.npy")), 1, 2, 3]);
        Assert.Equal("3 bytes follow the data", Assert.Throws<DataFormatException>(() => NpyFile.Read(path)).Problem);
    }

    [Theory]
    [InlineData("f32_2d.npy")]
    [InlineData("i64_1d.npy")]
    [InlineData("bool_2d.npy")]
    public void EveryTruncationIsRefused(string fixture)
    {
        var bytes = File.ReadAllBytes(Fixtures.Path(fixture));
        for (var length = 0; length < bytes.Length; length++)
        {
            var problem = Problem(bytes[..length]);
            Assert.True(problem.StartsWith("truncated: ", StringComparison.Ordinal) || length == 0, $"cut at {length}: {problem}");
        }
    }

    /// <summary>
    /// .npy has no checksum, so a flipped data byte reads as another value; what matters is that
    /// no flip anywhere makes the reader fail with anything but <see cref="DataFormatException"/>.
    /// </summary>
    [Theory]
    [InlineData("f32_2d.npy")]
    [InlineData("f32_2d_v3.npy")]
    [InlineData("i64_1d.npy")]
    public void EveryFlippedByteIsReadOrRefusedCleanly(string fixture)
    {
        var bytes = File.ReadAllBytes(Fixtures.Path(fixture));
        for (var i = 0; i < bytes.Length; i++)
        {
            foreach (var mask in new byte[] { 0xFF, 0x01, 0x20 })
            {
                var copy = (byte[])bytes.Clone();
                copy[i] ^= mask;
                try
                {
                    NpyFile.Read(new MemoryStream(copy), "flipped.npy");
                }
                catch (DataFormatException)
                {
                }
            }
        }
    }
}
