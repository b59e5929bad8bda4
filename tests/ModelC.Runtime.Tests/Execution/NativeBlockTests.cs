using System.Runtime.InteropServices;
using ModelC.Runtime.Execution;
using ModelC.Tests;

namespace ModelC.Runtime.Tests.Execution;

[Collection(nameof(ResourceCounting))]
public sealed unsafe class NativeBlockTests
{
    // Freed blocks come back from malloc dirty: a new block must still read as zero.
    [Fact]
    public void EveryBlockIsAlignedAndZeroEvenWhereMemoryWasUsedBefore()
    {
        foreach (var bytes in new long[] { 1, 7, 64, 1000, 4096, 200_000 })
        {
            for (var round = 0; round < 4; round++)
            {
                using var block = new NativeBlock(bytes, ArenaPlanner.Alignment);
                Assert.Equal(0, block.Address % ArenaPlanner.Alignment);
                var span = new Span<byte>((void*)block.Address, checked((int)bytes));
                Assert.True(span.IndexOfAnyExcept((byte)0) < 0, $"a block of {bytes} bytes held data");
                span.Fill(0xA5);
            }
        }
    }

    // A block sized for the largest batch or GEMM costs resident memory only where it is written.
    [Fact]
    public void PagesNeverWrittenTakeNoResidentMemory()
    {
        const long Bytes = 256L << 20;
        const int Written = 16 << 20;
        var before = ProcessResources.ResidentBytes();
        using var block = new NativeBlock(Bytes, ArenaPlanner.Alignment);
        var allocated = ProcessResources.ResidentBytes();
        new Span<byte>((void*)block.Address, Written).Fill(1);
        var written = ProcessResources.ResidentBytes();
        Assert.True(allocated - before < Bytes / 8, $"allocating {Bytes >> 20} MiB raised the resident memory by {(allocated - before) >> 20} MiB");
        Assert.True(written - allocated >= Written / 2, $"writing {Written >> 20} MiB raised it by {(written - allocated) >> 20} MiB");
        Assert.Equal(0, Marshal.ReadByte(block.Address + (nint)(Bytes - 1)));
    }
}
