using System.Globalization;
using ModelC.Backend.Targets;

namespace ModelC.Backend.Cpu;

/// <summary>
/// The packing transpose into panels of one width (<see cref="GemmTransposeKernel"/>), shared by
/// every GEMM kernel whose register tile has that many rows or columns. The width is a constant of
/// the routine, so its masks and panel offsets fold as they did in each kernel's own copy.
/// </summary>
/// <param name="Lanes">Floats per vector.</param>
/// <param name="Width">Lines per panel: the tile's rows (MR, packing A) or columns (NR, packing B).</param>
internal sealed record GemmTransposeRoutine(int Lanes, int Width) : SupportRoutine
{
    /// <inheritdoc/>
    public override string Name => string.Create(CultureInfo.InvariantCulture, $"modelc.gemm.transpose.{Width}x{Lanes}");
}
