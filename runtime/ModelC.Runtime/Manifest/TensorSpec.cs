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
public sealed record TensorSpec(string Name, TensorRole Role, int Buffer, InitSpec? Init = null);
