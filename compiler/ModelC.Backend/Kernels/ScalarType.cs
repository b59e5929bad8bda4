namespace ModelC.Backend.Kernels;

/// <summary>The types of kernel expressions: the three element types, and 64-bit indices.</summary>
public enum ScalarType
{
    /// <summary>32-bit float.</summary>
    F32,

    /// <summary>32-bit signed integer.</summary>
    I32,

    /// <summary>A truth value (one byte in memory).</summary>
    Bool,

    /// <summary>A 64-bit loop index or offset.</summary>
    Index,
}
