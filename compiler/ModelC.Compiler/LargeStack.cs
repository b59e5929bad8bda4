namespace ModelC.Compiler;

/// <summary>
/// Runs recursive compiler work on a thread with a large stack. Parsing and elaboration recurse
/// once per nesting level or block instantiation; deep but valid input must not overflow.
/// </summary>
internal static class LargeStack
{
    private const int StackBytes = 256 * 1024 * 1024;

    // True on the threads this class starts: nested calls (compiling parses) run in place
    // instead of starting yet another big thread and blocking this one.
    [ThreadStatic]
    private static bool t_onLargeStack;

    /// <summary>
    /// Runs <paramref name="work"/> on a big-stack thread and returns its result, rethrowing its
    /// exception: on the calling thread when that is already one, else on a fresh one.
    /// </summary>
    public static T Run<T>(Func<T> work)
    {
        if (t_onLargeStack)
        {
            return work();
        }
        T result = default!;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            t_onLargeStack = true;
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
