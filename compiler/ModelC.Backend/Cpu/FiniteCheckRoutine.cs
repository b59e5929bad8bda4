using ModelC.Backend.Targets;

namespace ModelC.Backend.Cpu;

/// <summary>
/// <c>bool finite(float* data, i64 count)</c>: whether none of <c>count</c> consecutive floats is
/// infinite or NaN (<see cref="FiniteCheck"/>). One loop, compiled once, where a train step's guard
/// would otherwise hold one vectorised reduction per gradient.
/// </summary>
internal sealed record FiniteCheckRoutine : SupportRoutine
{
    /// <summary>The one routine (it has no parameters of its own).</summary>
    public static FiniteCheckRoutine Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "modelc.finite.f32";
}
