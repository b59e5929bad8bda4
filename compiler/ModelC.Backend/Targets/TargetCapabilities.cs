namespace ModelC.Backend.Targets;

/// <summary>
/// What a target's kernels do well enough that the fusion plan (<see cref="Scheduling.FusionPlanner"/>)
/// may rely on it: each capability lets the plan leave a value unstored that would otherwise cost
/// the target work on every element.
/// </summary>
/// <param name="HoistsRowInvariants">
/// The target's map kernels evaluate a value that depends only on the row once per row, so the plan
/// may compute row scalars (a softmax's sum) in their consumers.
/// </param>
/// <param name="ReadsZeroPadsInPlace">
/// The target's GEMMs read a zero-padded operand from the unpadded input, masking the reads outside
/// it to +0, so the plan need not store a zero pad that only contractions read (through views).
/// </param>
/// <param name="VectorisesNonAffineReads">
/// The target's GEMM epilogues run at full speed even where they read through non-affine index
/// math (a division or remainder of a column index, an index loaded from memory), so the plan
/// may put a transcendental function in any epilogue. Where false (the CPU: LLVM leaves such a
/// row loop scalar, and an erf in it runs one element at a time), an epilogue with such a read
/// stops before a transcendental function, which then runs in a vectorised map kernel.
/// </param>
public sealed record TargetCapabilities(bool HoistsRowInvariants, bool ReadsZeroPadsInPlace, bool VectorisesNonAffineReads);
