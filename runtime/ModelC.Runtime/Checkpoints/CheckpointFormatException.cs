namespace ModelC.Runtime.Checkpoints;

/// <summary>
/// A checkpoint file that cannot be read: truncated, malformed, inconsistent or corrupted.
/// The message names the file and the problem; <see cref="Problem"/> holds the problem alone.
/// </summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>A refusal of the file at <paramref name="path"/> for <paramref name="problem"/>.</summary>
    public CheckpointFormatException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file refused.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; }
}
