using ModelC.Backend.Targets;

namespace ModelC.Backend.Driver;

/// <summary>One distinct object to compile (or take from the cache): a kernel's, or a support routine's.</summary>
/// <param name="Key">The object's key: its cache entry, and its file name when linked.</param>
internal abstract record ObjectJob(KernelKey Key)
{
    /// <summary>The object code, compiled by <paramref name="generator"/>.</summary>
    public abstract ObjectCode Compile(IKernelCodeGenerator generator);

    /// <summary>
    /// When to start it among the batch's jobs, lowest first, and by <see cref="Size"/> among
    /// equals: the costly ones first, so that no worker starts one when the others are done.
    /// </summary>
    public abstract int Order { get; }

    /// <summary>How large its code is (<see cref="Kernels.KernelSize"/>): among jobs of one <see cref="Order"/>, the largest start first.</summary>
    public virtual int Size => 0;

    /// <summary>What it is made from, for compile-time reports: a kernel's description, a support routine's name.</summary>
    public abstract string Origin { get; }
}
