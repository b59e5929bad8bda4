using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Data;

namespace ModelC.Runtime.Tests.Checkpoints;

/// <summary>Every truncation and every single flipped byte of a written file is refused.</summary>
public sealed class SafetensorsCorruptionTests
{
    private static byte[] SmallFile(TempDirectory dir)
    {
        var path = dir.File("small.safetensors");
        SafetensorsFile.Write(path,
        [
            new("w", DataArray.Of([1f, -2f, 0.5f, 4f], 2, 2)),
            new("ids", DataArray.Of([3, -1], 2)),
            new("m", DataArray.Of(new byte[] { 1, 0, 1 }, 3)),
            new("s", DataArray.Of([7f], [])),
        ], new Dictionary<string, string> { ["epoch"] = "12" });
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void EveryTruncationIsRefused()
    {
        using var dir = new TempDirectory();
        var bytes = SmallFile(dir);
        var path = dir.File("cut.safetensors");
        for (var length = 0; length < bytes.Length; length++)
        {
            File.WriteAllBytes(path, bytes[..length]);
            var e = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Read(path));
            Assert.Equal(path, e.Path);
        }
    }

    /// <summary>
    /// No flipped byte is accepted, not even in the header's space padding: x ^ 0xFF of an ASCII
    /// byte is never valid UTF-8 alone, and anywhere in the data the checksum catches it.
    /// </summary>
    [Fact]
    public void EveryFlippedByteIsRefused()
    {
        using var dir = new TempDirectory();
        var bytes = SmallFile(dir);
        var headerLength = (int)BitConverter.ToUInt64(bytes, 0);
        Assert.Equal((byte)' ', bytes[8 + headerLength - 1]); // the file has padding, so the claim covers it
        var path = dir.File("flipped.safetensors");
        var problems = new HashSet<string>();
        for (var i = 0; i < bytes.Length; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0xFF;
            File.WriteAllBytes(path, copy);
            var e = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Read(path));
            if (i >= 8 + headerLength)
            {
                Assert.StartsWith("checksum mismatch: the file is corrupted", e.Problem);
            }
            problems.Add(e.Problem.Split(' ')[0]);
        }
        Assert.Contains("header", problems);
    }

    /// <summary>
    /// Smaller flips keep header bytes ASCII, so they reach the JSON and layout checks; a few
    /// (a metadata value, say) leave a valid file. Any failure must be a CheckpointFormatException.
    /// </summary>
    [Fact]
    public void EverySingleBitFlipIsReadOrRefusedCleanly()
    {
        using var dir = new TempDirectory();
        var bytes = SmallFile(dir);
        var path = dir.File("bit.safetensors");
        var refused = 0;
        var flips = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            foreach (var bit in new[] { 0, 1, 5 }) // low bits change digits and letters; bit 5 flips case and spaces
            {
                var copy = (byte[])bytes.Clone();
                copy[i] ^= (byte)(1 << bit);
                File.WriteAllBytes(path, copy);
                flips++;
                try
                {
                    SafetensorsFile.Read(path);
                }
                catch (CheckpointFormatException)
                {
                    refused++;
                }
            }
        }
        Assert.InRange(refused, flips * 9 / 10, flips);
    }

    /// <summary>A metadata value edited in place (the header stays valid JSON of the same length) fails the metadata's checksum.</summary>
    [Theory]
    [InlineData("\"epoch\":\"12\"", "\"epoch\":\"13\"")]
    [InlineData("\"epoch\":\"12\"", "\"epoci\":\"12\"")]
    public void AnEditedMetadataEntryIsRefused(string original, string edited)
    {
        using var dir = new TempDirectory();
        var text = System.Text.Encoding.Latin1.GetString(SmallFile(dir));
        Assert.Contains(original, text, StringComparison.Ordinal);
        var path = dir.File("edited.safetensors");
        File.WriteAllBytes(path, System.Text.Encoding.Latin1.GetBytes(text.Replace(original, edited, StringComparison.Ordinal)));
        var e = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Read(path));
        Assert.StartsWith("checksum mismatch: the metadata is corrupted (its CRC-32C is ", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileWithoutTheChecksumKeyIsAccepted()
    {
        // As PyTorch writes them: the reader then has only the structure to check.
        using var dir = new TempDirectory();
        var path = dir.File("torch.safetensors");
        File.WriteAllBytes(path, SafetensorsBytes.Make("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", SafetensorsBytes.Floats(1f, 2f)));
        var checkpoint = SafetensorsFile.Read(path);
        Assert.Equal([1f, 2f], checkpoint.Tensors["w"].Floats);
        Assert.Empty(checkpoint.Metadata);
    }
}
