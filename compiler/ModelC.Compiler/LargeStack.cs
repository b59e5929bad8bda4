namespace ModelC.Compiler;

/// <summary>
/// Runs recursive compiler work on a thread with a large stack. Parsing and elaboration recurse
/// once per nesting level or block instantiation; deep but valid input must not overflow.
/// </summary>
internal static class LargeStack
{
    private const int StackBytes = 256 * 1024 * 1024;

    /// <summary>Runs <paramref name="work"/> on a fresh big-stack thread and returns its result, rethrowing its exception.</summary>
    public static T Run<T>(Func<T> work)
    {
        T result = default!;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
        }, StackBytes);
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
