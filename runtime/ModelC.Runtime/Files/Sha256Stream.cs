namespace ModelC.Runtime.Files;

/// <summary>
/// A write-only stream that hashes what is written to it (<see cref="Sha256"/>): a serializer
/// writes into it piece by piece, so a large document is hashed without ever being held whole.
/// </summary>
internal sealed class Sha256Stream : Stream
{
    private readonly Sha256 _hash = new();

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The hash of everything written; the stream is spent.</summary>
    public byte[] Finish() => _hash.Finish();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => _hash.Append(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer) => _hash.Append(buffer);

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();
}
