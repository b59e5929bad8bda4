using System.IO.Compression;
using ModelC.Data.Formats;

namespace ModelC.Data.Tests.Formats;

public sealed class NpzFileTests
{
    [Theory]
    [InlineData("arrays.npz")]
    [InlineData("arrays_compressed.npz")]
    public void ReadsNumpysArchivesStoredAndDeflated(string fixture)
    {
        var arrays = NpzFile.Read(Fixtures.Path(fixture));
        Assert.Equal(["weights", "labels", "mask"], arrays.Keys);
        DataArrayAssert.Same(Fixtures.F32_2d, arrays["weights"]);
        DataArrayAssert.Same(Fixtures.I64_1d, arrays["labels"]);
        DataArrayAssert.Same(Fixtures.Bool_2d, arrays["mask"]);
    }

    [Fact]
    public void ReadsAnArchiveFromAStreamNamingItInErrors()
    {
        using (var stream = File.OpenRead(Fixtures.Path("arrays_compressed.npz")))
        {
            DataArrayAssert.Same(Fixtures.F32_2d, NpzFile.Read(stream, "upload")["weights"]);
            Assert.True(stream.CanRead, "the stream was closed");
        }
        var error = Assert.Throws<DataFormatException>(() => NpzFile.Read(new MemoryStream("not a zip"u8.ToArray()), "upload"));
        Assert.StartsWith("upload: not a valid zip archive", error.Message, StringComparison.Ordinal);
    }

    private static string Problem(string path) =>
        Assert.Throws<DataFormatException>(() => NpzFile.Read(path)).Problem;

    private static void Zip(string path, params (string Name, byte[] Bytes)[] entries)
    {
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
        {
            using var stream = archive.CreateEntry(name).Open();
            stream.Write(bytes);
        }
    }

    [Fact]
    public void RefusesBadArchives()
    {
        using var dir = new TempDirectory();
        var npy = File.ReadAllBytes(Fixtures.Path("f32_2d.npy"));

        var notZip = dir.File("not_zip.npz");
        File.WriteAllBytes(notZip, npy);
        Assert.StartsWith("not a valid zip archive (", Problem(notZip));

        var other = dir.File("other.npz");
        Zip(other, ("a.npy", npy), ("readme.txt", "hi"u8.ToArray()));
        Assert.Equal("entry 'readme.txt' is not an .npy file", Problem(other));

        var badArray = dir.File("bad_array.npz");
        Zip(badArray, ("a.npy", npy), ("b.npy", npy[..^4]));
        Assert.Equal("array 'b': truncated: the data is 20 bytes, shape (2, 3) of <f4 needs 24", Problem(badArray));

        var extra = dir.File("extra.npz");
        Zip(extra, ("a.npy", [.. npy, 0]));
        Assert.Equal("array 'a': 1 bytes follow the data", Problem(extra));
    }

    /// <summary>Whatever byte flips, in the zip structure or an entry, the only failure is a DataFormatException.</summary>
    [Theory]
    [InlineData("arrays.npz")]
    [InlineData("arrays_compressed.npz")]
    public void AFlippedByteAnywhereIsReadOrRefusedCleanly(string fixture)
    {
        using var dir = new TempDirectory();
        var bytes = File.ReadAllBytes(Fixtures.Path(fixture));
        var path = dir.File("flipped.npz");
        for (var i = 0; i < bytes.Length; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0xFF;
            File.WriteAllBytes(path, copy);
            try
            {
                NpzFile.Read(path);
            }
            catch (DataFormatException)
            {
                // Refused with a message: the only acceptable failure.
            }
        }
    }
}
