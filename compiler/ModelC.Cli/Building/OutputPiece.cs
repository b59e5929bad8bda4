namespace ModelC.Cli.Building;

/// <summary>
/// A piece of standard output: text, then, for a model's compile summary, the counts of its
/// compile, printed again as a compile that took every kernel from the cache.
/// </summary>
/// <param name="Text">The text (for a summary, the part before the statistics).</param>
/// <param name="Compile">The kernels and distinct kernels of a summary; null for plain text.</param>
internal sealed record OutputPiece(string Text, (int Kernels, int Unique)? Compile);
