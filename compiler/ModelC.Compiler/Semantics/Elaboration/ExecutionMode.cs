namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>Which graph to build: the inference forward pass, or the training forward pass with the loss.</summary>
public enum ExecutionMode
{
    /// <summary>Outputs only; normalisation uses running statistics.</summary>
    Inference,

    /// <summary>Outputs, the loss and state updates; normalisation uses batch statistics.</summary>
    Training,
}
