using ModelC.Runtime.Files;

namespace ModelC.Data.Formats;

/// <summary>
/// A read-only, forward-only view of a stream that keeps the zip CRC-32 of every byte read
/// through it, so that an archive entry is checked while it is parsed, without a second pass.
/// </summary>
internal sealed class ChecksummingStream(Stream inner) : Stream
{
    /// <summary>The CRC-32 of the bytes read so far.</summary>
    public uint Crc { get; private set; }

    /// <summary>Reads and checksums whatever is left of the stream.</summary>
    public void Drain()
    {
        Span<byte> sink = stackalloc byte[4096];
        while (Read(sink) > 0)
        {
        }
    }

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Crc = ZipCrc32.Append(Crc, buffer[..n]);
        return n;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
