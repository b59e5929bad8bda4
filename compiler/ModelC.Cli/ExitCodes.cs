namespace ModelC.Cli;

/// <summary>The process exit codes of <c>modelc</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The program has errors (diagnostics were printed).</summary>
    public const int Diagnostics = 1;

    /// <summary>
    /// The command line was wrong (unknown option, missing file, …), or the tools it needs are
    /// missing (no usable libLLVM, no C compiler driver to link with).
    /// </summary>
    public const int Usage = 2;

    /// <summary>Stopped by SIGINT (Ctrl+C) after writing what it had (128 + 2, as shells report it).</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM after writing what it had (128 + 15).</summary>
    public const int Terminated = 143;
}
