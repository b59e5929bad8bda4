using System.Buffers.Binary;
using System.Numerics;

namespace ModelC.Runtime.Files;

/// <summary>
/// SHA-256 (FIPS 180-4), in managed code, fed piece by piece. The runtime hashes every library it
/// loads; the platform's SHA-256 on Linux is OpenSSL's, and loading and initialising libcrypto
/// and System.Security.Cryptography costs a process about 6 MiB of resident memory that a model
/// never needs otherwise (docs/dotnet.md, "Threads and memory"). A library is hashed once per load, so the
/// scalar rounds are fast enough (a few milliseconds per MiB).
/// </summary>
internal sealed class Sha256
{
    /// <summary>The length of a hash in bytes.</summary>
    public const int HashBytes = 32;

    private const int BlockBytes = 64;

    // The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static readonly uint[] RoundConstants =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    // The first 32 bits of the fractional parts of the square roots of the first 8 primes.
    private readonly uint[] _state = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    private readonly byte[] _pending = new byte[BlockBytes];
    private int _pendingBytes;
    private long _totalBytes;

    /// <summary>The hash of <paramref name="data"/>.</summary>
    public static byte[] Of(ReadOnlySpan<byte> data)
    {
        var hash = new Sha256();
        hash.Append(data);
        return hash.Finish();
    }

    /// <summary>The hash of the file at <paramref name="path"/>, read in pieces (never the whole file in memory).</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static byte[] OfFile(string path)
    {
        var hash = new Sha256();
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            hash.Append(buffer.AsSpan(0, read));
        }
        return hash.Finish();
    }

    /// <summary>Hashes <paramref name="data"/> after the bytes appended so far.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        _totalBytes += data.Length;
        if (_pendingBytes > 0)
        {
            var taken = Math.Min(BlockBytes - _pendingBytes, data.Length);
            data[..taken].CopyTo(_pending.AsSpan(_pendingBytes));
            _pendingBytes += taken;
            data = data[taken..];
            if (_pendingBytes < BlockBytes)
            {
                return;
            }
            Compress(_pending);
            _pendingBytes = 0;
        }
        while (data.Length >= BlockBytes)
        {
            Compress(data[..BlockBytes]);
            data = data[BlockBytes..];
        }
        data.CopyTo(_pending);
        _pendingBytes = data.Length;
    }

    /// <summary>Pads the message and returns its hash; the instance is spent.</summary>
    public byte[] Finish()
    {
        // A 1 bit, zeros up to 8 bytes before a block's end, then the length in bits, big-endian.
        Span<byte> padding = stackalloc byte[2 * BlockBytes];
        padding.Clear();
        padding[0] = 0x80;
        var length = (_pendingBytes < BlockBytes - 8 ? BlockBytes : 2 * BlockBytes) - _pendingBytes;
        BinaryPrimitives.WriteInt64BigEndian(padding.Slice(length - 8, 8), _totalBytes * 8);
        Append(padding[..length]);
        var hash = new byte[HashBytes];
        for (var i = 0; i < _state.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(hash.AsSpan(4 * i), _state[i]);
        }
        return hash;
    }

    private void Compress(ReadOnlySpan<byte> block)
    {
        Span<uint> w = stackalloc uint[64];
        for (var t = 0; t < 16; t++)
        {
            w[t] = BinaryPrimitives.ReadUInt32BigEndian(block[(4 * t)..]);
        }
        for (var t = 16; t < 64; t++)
        {
            var s0 = BitOperations.RotateRight(w[t - 15], 7) ^ BitOperations.RotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3);
            var s1 = BitOperations.RotateRight(w[t - 2], 17) ^ BitOperations.RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint a = _state[0], b = _state[1], c = _state[2], d = _state[3], e = _state[4], f = _state[5], g = _state[6], h = _state[7];
        for (var t = 0; t < 64; t++)
        {
            var sum1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
            var choose = (e & f) ^ (~e & g);
            var t1 = h + sum1 + choose + RoundConstants[t] + w[t];
            var sum0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
            var majority = (a & b) ^ (a & c) ^ (b & c);
            var t2 = sum0 + majority;
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        _state[0] += a;
        _state[1] += b;
        _state[2] += c;
        _state[3] += d;
        _state[4] += e;
        _state[5] += f;
        _state[6] += g;
        _state[7] += h;
    }
}
