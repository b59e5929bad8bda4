namespace ModelC.Compiler.Tests;

/// <summary><see cref="LargeStack"/> starts one big-stack thread per outermost call, not one per nested call.</summary>
public sealed class LargeStackTests
{
    [Fact]
    public void ANestedCallRunsOnTheOuterCallsThread()
    {
        var caller = Environment.CurrentManagedThreadId;
        var (outer, inner) = LargeStack.Run(() => (Environment.CurrentManagedThreadId, LargeStack.Run(() => Environment.CurrentManagedThreadId)));
        Assert.NotEqual(caller, outer);
        Assert.Equal(outer, inner);
    }

    [Fact]
    public void ANestedCallsExceptionReachesTheOuterCaller()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            LargeStack.Run<int>(() => LargeStack.Run<int>(() => throw new InvalidOperationException("inner"))));
        Assert.Equal("inner", error.Message);
    }
}
