using System.Collections.Immutable;
using ModelC.Backend.Kernels;

namespace ModelC.Backend.Cpu;

/// <summary>
/// A GEMM operand that is a float load where every bound holds and +0 elsewhere: a convolution's
/// unfold over a zero pad, read from the unpadded input. <paramref name="Load"/> is the load with
/// its clamps removed (its address is exact wherever the bounds hold); each bound compares an
/// index expression with a constant (≥ 0, or &lt; the input's size). Without bounds it is a plain load.
/// </summary>
/// <param name="Load">The load, its indices unclamped.</param>
/// <param name="Bounds">Each position that must be in bounds for the element to be read.</param>
internal sealed record BoundedLoad(Load Load, ImmutableArray<Compare> Bounds);
