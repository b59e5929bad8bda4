using System.Globalization;

namespace ModelC.Backend.Driver;

/// <summary>What one call of <see cref="ModelCompiler"/> did, for progress lines.</summary>
/// <param name="Kernels">Kernels in the programs compiled together.</param>
/// <param name="Unique">Distinct kernels among them (equal keys compile once).</param>
/// <param name="Compiled">Distinct kernels compiled to object code.</param>
/// <param name="FromCache">Distinct kernels whose object code came from the cache.</param>
/// <param name="Elapsed">Wall-clock time of the whole call, lowering and loading or linking included.</param>
public sealed record CompileStatistics(int Kernels, int Unique, int Compiled, int FromCache, TimeSpan Elapsed)
{
    /// <summary>Distinct support routines the kernels call (<see cref="Targets.SupportRoutine"/>), each an object of its own, compiled or taken from the cache like a kernel's.</summary>
    public int SupportRoutines { get; init; }

    /// <summary>E.g. <c>490 kernels (212 distinct: 200 compiled, 12 from the cache) in 3.1 s</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Kernels} kernels ({Unique} distinct: {Compiled} compiled, {FromCache} from the cache) in {Elapsed.TotalSeconds:F1} s");
}
