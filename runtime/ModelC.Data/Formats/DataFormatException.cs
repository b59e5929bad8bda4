namespace ModelC.Data.Formats;

/// <summary>
/// A data file that cannot be read: truncated, malformed, of an unsupported type, or with a
/// cell that is not a number. The message names the file and the problem (and, for text files,
/// the line and column); <see cref="Problem"/> holds the problem alone.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>A refusal of <paramref name="path"/> for <paramref name="problem"/>.</summary>
    public DataFormatException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file refused (for an array inside an .npz, the archive).</summary>
    public string Path { get; }

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; }
}
