namespace ModelC.Compiler.IR;

/// <summary>
/// A graph grew past what the compiler accepts (see <see cref="GraphBuilder.MaxNodes"/> and
/// <see cref="GraphBuilder.MaxElements"/>), or a size did not fit its integer. Unlike
/// <see cref="IrTypeException"/> this is the user's doing: elaboration reports it as a diagnostic.
/// </summary>
public sealed class GraphLimitException(string message) : Exception(message);
