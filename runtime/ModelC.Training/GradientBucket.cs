using System.Collections.Immutable;

namespace ModelC.Training;

/// <summary>
/// One bucket: tensors summed by one allreduce of the packed span
/// <c>[<paramref name="Offset"/>, <paramref name="Offset"/> + <paramref name="Length"/>)</c>, which
/// can start once kernel <paramref name="ReadyAfter"/> of the gradients program has run.
/// </summary>
/// <param name="Tensors">The tensors, in packing order.</param>
/// <param name="Offset">Where the bucket starts in the packed buffer.</param>
/// <param name="Length">Its element count.</param>
/// <param name="ReadyAfter">The last kernel that writes any of its tensors (−1: none does).</param>
internal sealed record GradientBucket(ImmutableArray<SummedTensor> Tensors, int Offset, int Length, int ReadyAfter);
