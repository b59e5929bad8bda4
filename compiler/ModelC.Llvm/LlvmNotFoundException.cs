namespace ModelC.Llvm;

/// <summary>No usable libLLVM (15–19) was found; the message says what was tried and what to install.</summary>
public sealed class LlvmNotFoundException(string message) : Exception(message);
