namespace ModelC.Distributed;

/// <summary>Open MPI could not be loaded, or one of its calls failed (the message names the call and its error code).</summary>
public sealed class MpiException : Exception
{
    /// <summary>An exception with <paramref name="message"/>.</summary>
    public MpiException(string message)
        : base(message)
    {
    }

    /// <summary>An exception with <paramref name="message"/> caused by <paramref name="inner"/>.</summary>
    public MpiException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>An exception with no message.</summary>
    public MpiException()
    {
    }
}
