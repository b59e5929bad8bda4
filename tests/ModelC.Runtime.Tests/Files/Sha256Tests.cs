using System.Text;
using ModelC.Runtime.Files;

namespace ModelC.Runtime.Tests.Files;

public sealed class Sha256Tests
{
    // FIPS 180-2 appendix B's messages: one block, two blocks, and a million 'a's.
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void TheStandardsVectorsHashAsPublished(string message, string hash) =>
        Assert.Equal(hash, Convert.ToHexStringLower(Sha256.Of(Encoding.ASCII.GetBytes(message))));

    [Fact]
    public void AMillionAsHashAsPublished() =>
        Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Convert.ToHexStringLower(Sha256.Of(new byte[1_000_000].Select(_ => (byte)'a').ToArray())));

    // Every length around the padding's boundaries (55, 56, 63, 64 bytes), and pieces of every size.
    [Fact]
    public void EveryLengthAndEverySplitAgreesWithThePlatformsHash()
    {
        var random = new Random(7);
        var data = new byte[300];
        random.NextBytes(data);
        for (var length = 0; length <= data.Length; length++)
        {
            var message = data.AsSpan(0, length);
            var expected = System.Security.Cryptography.SHA256.HashData(message);
            Assert.Equal(expected, Sha256.Of(message));
            var split = random.Next(length + 1);
            var pieces = new Sha256();
            pieces.Append(message[..split]);
            pieces.Append(message[split..]);
            Assert.Equal(expected, pieces.Finish());
        }
    }

    [Fact]
    public void AFileHashesAsItsBytes()
    {
        using var dir = new TempDirectory();
        var path = dir.File("lib.so");
        var bytes = new byte[200_003];
        new Random(3).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(bytes), Sha256.OfFile(path));
    }
}
