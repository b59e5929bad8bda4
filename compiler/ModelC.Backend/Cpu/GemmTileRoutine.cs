using System.Globalization;
using ModelC.Backend.Kernels;
using ModelC.Backend.Targets;

namespace ModelC.Backend.Cpu;

/// <summary>The register tile of a GEMM tiling with its micro-kernels (<see cref="GemmMicroKernel"/>), shared by every GEMM kernel tiled alike.</summary>
/// <param name="Rows">Rows of the tile (MR).</param>
/// <param name="Vectors">Vectors per row of the tile (NR = vectors × lanes).</param>
/// <param name="Lanes">Floats per vector.</param>
internal sealed record GemmTileRoutine(int Rows, int Vectors, int Lanes) : SupportRoutine
{
    /// <summary>The routine of <paramref name="tiling"/>'s register tile.</summary>
    public static GemmTileRoutine Of(GemmTiling tiling) => new(tiling.TileRows, tiling.TileVectors, tiling.Lanes);

    /// <inheritdoc/>
    public override string Name => string.Create(CultureInfo.InvariantCulture, $"modelc.gemm.tile.{Rows}x{Vectors}x{Lanes}");
}
