using System.Globalization;
using ModelC.Backend.Targets;

namespace ModelC.Backend.Cpu;

/// <summary>The packing transpose of a vector width (<see cref="GemmTransposeKernel"/>), shared by every GEMM kernel of that width.</summary>
/// <param name="Lanes">Floats per vector.</param>
internal sealed record GemmTransposeRoutine(int Lanes) : SupportRoutine
{
    /// <inheritdoc/>
    public override string Name => string.Create(CultureInfo.InvariantCulture, $"modelc.gemm.transpose.{Lanes}");
}
