namespace ModelC.Runtime.Manifest;

/// <summary>The shape of a kernel's code, for profiles: how its time should be read.</summary>
public enum KernelKind
{
    /// <summary>One loop nest over the output's elements (elementwise work, views, reductions).</summary>
    Map,

    /// <summary>A blocked matrix product with its fused operands and epilogue.</summary>
    Gemm,
}
