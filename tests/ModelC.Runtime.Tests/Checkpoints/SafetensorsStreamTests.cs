using ModelC.Runtime.Checkpoints;

namespace ModelC.Runtime.Tests.Checkpoints;

/// <summary>Checkpoints written to and read from streams: the same bytes as a file, from any position, seekable or not.</summary>
public sealed class SafetensorsStreamTests
{
    [Fact]
    public void AStreamHoldsTheBytesOfTheFileAndReadsBackFromItsPosition()
    {
        using var dir = new TempDirectory();
        var path = dir.File("all.safetensors");
        var tensors = SafetensorsRoundTripTests.AllKinds();
        var metadata = new Dictionary<string, string> { ["epoch"] = "3" };
        SafetensorsFile.Write(path, tensors, metadata);
        using var stream = new MemoryStream();
        stream.Write("prefix"u8);

        SafetensorsFile.Write(stream, tensors, metadata);
        stream.Position = "prefix".Length;
        var read = SafetensorsFile.Read(stream, "memory");

        Assert.Equal(File.ReadAllBytes(path), stream.ToArray()["prefix".Length..]);
        Assert.Equal(tensors.Select(t => t.Key), read.Tensors.Keys);
        foreach (var (name, array) in tensors)
        {
            DataArrayAssert.Same(array, read.Tensors[name]);
        }
        Assert.Equal("3", read.Metadata["epoch"]);
    }

    [Fact]
    public void AStreamThatCannotSeekIsReadAndADamagedOneIsRefusedByName()
    {
        using var bytes = new MemoryStream();
        SafetensorsFile.Write(bytes, SafetensorsRoundTripTests.AllKinds());
        var data = bytes.ToArray();

        var read = SafetensorsFile.Read(new ForwardOnlyStream(data), "pipe");
        data[^1] ^= 1;
        var error = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Read(new ForwardOnlyStream(data), "pipe"));

        Assert.Equal(SafetensorsRoundTripTests.AllKinds().Length, read.Tensors.Count);
        Assert.StartsWith("pipe: checksum mismatch", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A stream that can only be read front to back, as a pipe or a network response.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
