namespace ModelC.Llvm;

/// <summary>LLVM reported an error (an invalid module, a failed pass pipeline, an unknown target).</summary>
public sealed class LlvmException(string message) : Exception(message);
