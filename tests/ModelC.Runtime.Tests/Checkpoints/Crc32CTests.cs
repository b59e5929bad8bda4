using System.Text;
using ModelC.Runtime.Checkpoints;

namespace ModelC.Runtime.Tests.Checkpoints;

public sealed class Crc32CTests
{
    [Fact]
    public void MatchesKnownValues()
    {
        // Both values from a bitwise implementation (tests/golden/make_safetensors_golden.py);
        // the first is the standard check value of CRC-32C.
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0x9C44184Bu, Crc32C.Compute([.. Enumerable.Range(0, 256).Select(i => (byte)i)]));
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void HardwareAndTableAgreeAndAppendingSplitsAnywhere()
    {
        var random = new Random(7);
        for (var length = 0; length < 70; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var whole = Crc32C.Compute(data);
            Assert.Equal(Crc32C.ComputeBytewise(data), whole);
            for (var split = 0; split <= length; split++)
            {
                Assert.Equal(whole, Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
            }
        }
    }
}
