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
public sealed record TargetCapabilities(bool HoistsRowInvariants, bool ReadsZeroPadsInPlace);
