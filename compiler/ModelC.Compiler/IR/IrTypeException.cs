namespace ModelC.Compiler.IR;

/// <summary>
/// An op was given inputs it cannot take. Reaching this is a compiler bug: user-facing shape
/// errors are diagnosed during semantic analysis, before any IR is built.
/// </summary>
public sealed class IrTypeException(string message) : Exception(message);
