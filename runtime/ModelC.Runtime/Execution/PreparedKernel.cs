namespace ModelC.Runtime.Execution;

/// <summary>
/// One kernel of a schedule bound by <see cref="IComputeDevice.Prepare"/> to its code, its
/// arguments and the symbol values: everything a launch needs, resolved once.
/// Each device subclasses it with what its launches read.
/// </summary>
public abstract class PreparedKernel
{
    /// <summary>The kernel's symbol in its code.</summary>
    public abstract string Symbol { get; }
}
