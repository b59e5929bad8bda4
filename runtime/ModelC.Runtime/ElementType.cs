namespace ModelC.Runtime;

/// <summary>
/// The element types of tensors, the one enumeration from the language's IR through kernels to
/// buffers and the generated API. Compute is in <see cref="F32"/>; integers index and label.
/// </summary>
public enum ElementType
{
    /// <summary>32-bit float.</summary>
    F32,

    /// <summary>32-bit signed integer (labels, token ids).</summary>
    I32,

    /// <summary>The result of comparisons, consumed by <c>select</c>; one byte in memory, 0 or 1.</summary>
    Bool,
}
