namespace ModelC.Compiler.IR;

/// <summary>What a graph result is for.</summary>
public enum OutputRole
{
    /// <summary>A named model output returned to the caller.</summary>
    Output,

    /// <summary>The scalar training loss.</summary>
    Loss,

    /// <summary>The new value of a state tensor (e.g. a BatchNorm running mean) after a training step.</summary>
    StateUpdate,

    /// <summary>
    /// The gradient of the loss with respect to the input or parameter of the same name, made by
    /// <see cref="Autodiff.ReverseMode"/>.
    /// </summary>
    Gradient,

    /// <summary>The new value of the parameter of the same name after an optimizer step.</summary>
    ParameterUpdate,
}

/// <summary>A result of the graph: a name, the node that computes it and its role.</summary>
public sealed record GraphOutput(string Name, Node Value, OutputRole Role);
