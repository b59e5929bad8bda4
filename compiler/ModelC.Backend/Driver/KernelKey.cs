namespace ModelC.Backend.Driver;

/// <summary>
/// A kernel's identity: the SHA-256 of its canonical form, its target and the code generator
/// (<see cref="KernelFingerprint"/>), as 64 lowercase hex digits. Kernels with equal keys compile
/// to the same object code, so they share one symbol and one cache entry.
/// </summary>
/// <param name="Hex">The hash in lowercase hex.</param>
public readonly record struct KernelKey(string Hex)
{
    /// <summary>The kernel's symbol in object code: a prefix and the first 128 bits of the hash.</summary>
    public string Symbol => "mc_" + Hex[..32];

    /// <inheritdoc/>
    public override string ToString() => Hex;
}
