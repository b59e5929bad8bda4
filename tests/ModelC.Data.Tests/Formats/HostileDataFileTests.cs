using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using ModelC.Data.Formats;
using ModelC.Tests;

namespace ModelC.Data.Tests.Formats;

/// <summary>
/// Data files built to break a reader — nested headers, sizes that lie, flipped bits, huge
/// headers, special files — are refused with a message, never a crash, a hang or an allocation
/// the file cannot back.
/// </summary>
public sealed class HostileDataFileTests
{
    /// <summary>An .npy file of format 2.0 (a 4-byte header length) with this header and data.</summary>
    private static byte[] Npy(string dict, byte[]? data = null)
    {
        var header = Encoding.ASCII.GetBytes(dict + "\n");
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)header.Length);
        return [0x93, .. "NUMPY"u8, 2, 0, .. length, .. header, .. data ?? []];
    }

    private static string Problem(Func<object> read) => Assert.Throws<DataFormatException>(read).Problem;

    [Fact]
    public void DeeplyNestedHeadersAreRefusedWithoutOverflowingTheStack()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);
        var bytes = Npy($"{{'descr': '<f4', 'fortran_order': False, 'shape': {deep}, }}");
        Assert.Equal("header is not a Python dict literal (nested more than 32 deep at character 82)",
            Problem(() => NpyFile.Read(new MemoryStream(bytes), "deep.npy")));
    }

    [Fact]
    public void AShapeTheFileCannotHoldIsRefusedBeforeAllocating()
    {
        using var dir = new TempDirectory();
        var path = dir.File("liar.npy");
        File.WriteAllBytes(path, Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1800000000,), }", new byte[128]));
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal("truncated: the data is 128 bytes, shape (1800000000,) of <f8 needs 14400000000", Problem(() => NpyFile.Read(path)));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the claimed array was allocated");
    }

    [Theory]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.Optimal)]
    public void AnArchiveEntryClaimingMoreThanItHoldsIsRefusedBeforeAllocating(CompressionLevel level)
    {
        using var dir = new TempDirectory();
        var path = dir.File("liar.npz");
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var stream = archive.CreateEntry("x.npy", level).Open();
            stream.Write(Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1900000000,), }", new byte[65_000]));
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.StartsWith("array 'x': truncated: the data is 65000 bytes, shape (1900000000,) of <f4 needs 7600000000", Problem(() => NpzFile.Read(path)));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "the claimed array was allocated");
    }

    /// <summary>Every flipped bit of a stored entry — header or data — is refused and named as corruption.</summary>
    [Fact]
    public void AFlippedBitInAStoredEntryFailsItsCrc()
    {
        using var dir = new TempDirectory();
        var bytes = File.ReadAllBytes(Fixtures.Path("arrays.npz"));
        var npy = File.ReadAllBytes(Fixtures.Path("f32_2d.npy"));
        var start = bytes.AsSpan().IndexOf(npy); // the 'weights' entry, stored as numpy wrote it
        Assert.True(start > 0);
        var path = dir.File("flipped.npz");
        foreach (var at in new[] { start + 20, start + npy.Length - 1 })
        {
            var copy = (byte[])bytes.Clone();
            copy[at] ^= 0x01;
            File.WriteAllBytes(path, copy);
            Assert.Matches("^entry 'weights.npy' is corrupted: its CRC-32 is [0-9a-f]{8}, the archive records [0-9a-f]{8}$", Problem(() => NpzFile.Read(path)));
        }
    }

    [Fact]
    public void ACsvHeaderOfTwoHundredThousandColumnsIsRead()
    {
        var names = Enumerable.Range(0, 200_000).Select(i => $"x[{i}]").ToList();
        var csv = string.Join(',', names) + "\n" + string.Join(',', Enumerable.Range(0, names.Count).Select(i => (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "\n";
        var table = CsvFile.Read(new StringReader(csv), "wide.csv");
        var x = Assert.Single(table.ToArrays()).Value;
        Assert.Equal("1, 200000", string.Join(", ", x.Shape));
        Assert.Equal(199_999 % 7, x.Floats[199_999]);
    }

    [Theory]
    [InlineData("/dev/zero", "it is a character device, not a regular file")]
    [InlineData("/dev/null", "it is a character device, not a regular file")]
    public void DevicesAreRefusedByType(string device, string problem)
    {
        Assert.Equal(problem, Problem(() => DataFile.Load(device)));
    }

    private static string Fifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    // The readers called directly, not through DataFile.Load, refuse special files too.
    public static TheoryData<string, Func<string, object>> Readers() => new()
    {
        { "npy", path => NpyFile.Read(path) },
        { "npz", path => NpzFile.Read(path) },
        { "csv", path => CsvFile.Read(path) },
    };

    [Theory]
    [MemberData(nameof(Readers))]
    public void EachReaderRefusesDevicesAndFifosByType(string extension, Func<string, object> read)
    {
        Assert.Equal("it is a character device, not a regular file", Problem(() => read("/dev/zero")));
        using var dir = new TempDirectory();
        var fifo = Fifo(dir.File("data." + extension));
        Assert.Equal("it is a FIFO, not a regular file", Problem(() => read(fifo)));
    }

    [Fact]
    public void FifosAndFoldersAreRefusedWithoutOpeningThem()
    {
        using var dir = new TempDirectory();
        var fifo = Fifo(dir.File("data.npy"));
        // Opening a FIFO blocks until a writer comes, so a hang here means it was opened.
        Assert.Equal("it is a FIFO, not a regular file", Problem(() => DataFile.Load(fifo)));
        var folder = dir.File("folder.npz");
        Directory.CreateDirectory(folder);
        Assert.Equal("it is a folder, not a regular file", Problem(() => DataFile.Load(folder)));
    }
}
