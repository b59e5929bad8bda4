using System.Runtime.InteropServices;

namespace ModelC.Runtime.Execution;

/// <summary>
/// Zeroed native memory, aligned for any vector access, freed when disposed or, if its owner is
/// never disposed, when the garbage collector finalizes the handle.
/// </summary>
internal sealed unsafe class NativeBlock : SafeHandle
{
    /// <summary>Allocates <paramref name="bytes"/> (at least one, so that every block has an address of its own) aligned to <paramref name="alignment"/>.</summary>
    public NativeBlock(long bytes, long alignment)
        : base(0, ownsHandle: true)
    {
        var size = (nuint)Math.Max(bytes, 1);
        var memory = NativeMemory.AlignedAlloc(size, (nuint)alignment);
        NativeMemory.Clear(memory, size);
        SetHandle((nint)memory);
    }

    /// <summary>The first byte.</summary>
    public nint Address => handle;

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMemory.AlignedFree((void*)handle);
        return true;
    }
}
