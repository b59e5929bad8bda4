using System.Runtime.InteropServices;

namespace ModelC.Runtime.Execution;

/// <summary>
/// Zeroed native memory, aligned for any vector access, freed when disposed or, if its owner is
/// never disposed, when the garbage collector finalizes the handle.
/// </summary>
internal sealed unsafe class NativeBlock : SafeHandle
{
    // What calloc returned: the block starts at the first aligned byte after it.
    private readonly void* _allocation;

    /// <summary>Allocates <paramref name="bytes"/> (at least one, so that every block has an address of its own) aligned to <paramref name="alignment"/>, a power of two.</summary>
    public NativeBlock(long bytes, long alignment)
        : base(0, ownsHandle: true)
    {
        // calloc, not an aligned allocation then a clear: memory the C library gets fresh from the
        // system is zero already, and its pages take no resident memory until written, so the
        // parts of a block a run never touches (scratch sized for the largest GEMM, an arena for
        // the largest batch) cost the process nothing. Padding by alignment − 1 makes room to align.
        _allocation = NativeMemory.AllocZeroed((nuint)(Math.Max(bytes, 1) + alignment - 1));
        SetHandle((nint)(((nuint)_allocation + (nuint)alignment - 1) & ~((nuint)alignment - 1)));
    }

    /// <summary>The first byte.</summary>
    public nint Address => handle;

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMemory.Free(_allocation);
        return true;
    }
}
