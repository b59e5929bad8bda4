using ModelC.Runtime.Initialization;

namespace ModelC.Runtime.Manifest;

/// <summary>What a named tensor is to the caller.</summary>
public enum TensorRole
{
    /// <summary>Fed by the caller before a run.</summary>
    Input,

    /// <summary>Computed by a run.</summary>
    Output,

    /// <summary>A trainable parameter, initialised at load time.</summary>
    Parameter,

    /// <summary>A persistent non-trainable tensor (BatchNorm running statistics).</summary>
    State,
}

/// <summary>A named tensor, the buffer that holds it, and for parameters and states how it starts.</summary>
/// <param name="Name">The name callers use.</param>
/// <param name="Role">What the tensor is to the caller.</param>
/// <param name="Buffer">The buffer that holds it.</param>
/// <param name="Init">How a parameter or state starts.</param>
/// <param name="Replaces">
/// For an output that is the new value of a parameter or state (<c>w:next</c>): that tensor's
/// name. <see cref="Execution.ModelInstance.Run()"/> copies the output over it after each run,
/// unless <paramref name="InPlace"/>.
/// </param>
/// <param name="IndexBound">
/// For an i32 input used as class labels or gather indices: its values must lie in [0, IndexBound).
/// The kernels cannot report a value outside (a one-hot misses it, a gather clamps it), so the
/// runtime checks fed values against it.
/// </param>
/// <param name="InPlace">
/// For an output that <paramref name="Replaces"/> a tensor: its kernel writes the new value over
/// the old one (it is the old value's last reader and reads it only at the element it writes), so
/// the output has no memory of its own and nothing is copied after the run.
/// </param>
public sealed record TensorSpec(string Name, TensorRole Role, int Buffer, InitSpec? Init = null, string? Replaces = null, int? IndexBound = null, bool InPlace = false);
