namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>Which graph to build: the inference forward pass, the training forward pass with the loss, or an evaluation of the loss.</summary>
public enum ExecutionMode
{
    /// <summary>Outputs only; normalisation uses running statistics.</summary>
    Inference,

    /// <summary>Outputs, the loss and state updates; normalisation uses batch statistics.</summary>
    Training,

    /// <summary>
    /// Outputs and the loss, as inference computes them (running statistics, no state updates):
    /// what validation during training measures.
    /// </summary>
    Evaluation,
}
