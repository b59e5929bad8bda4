namespace ModelC.Data.Formats;

/// <summary>How <see cref="CsvFile"/> reads a file.</summary>
public sealed record CsvOptions
{
    /// <summary>The defaults: comma-separated, empty cells refused.</summary>
    public static CsvOptions Default { get; } = new();

    /// <summary>The character between cells (<c>','</c>; <c>'\t'</c> or <c>';'</c> for other dialects).</summary>
    public char Separator { get; init; } = ',';

    /// <summary>
    /// Whether an empty cell reads as NaN. Off by default: a missing value silently becoming NaN
    /// poisons a training run far from its cause.
    /// </summary>
    public bool EmptyCellsAreNaN { get; init; }
}
