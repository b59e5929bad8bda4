namespace ModelC.Backend.Driver;

/// <summary>
/// The identity of a whole build's outputs in the <see cref="CompileCache"/>: a SHA-256, as 64
/// lowercase hex digits, of everything a front door's command depends on besides its source files
/// (its arguments, working folder, environment, the compiler's build and the targets). The entry
/// lists the source files and their hashes, which a reader checks before it uses the entry.
/// </summary>
/// <param name="Hex">The hash in lowercase hex.</param>
public readonly record struct BuildKey(string Hex)
{
    /// <inheritdoc/>
    public override string ToString() => Hex;
}
