namespace ModelC.Llvm;

/// <summary>
/// The x86-64 CPU names LLVM 15–19 know, each with the x86-64 microarchitecture level (psABI) it
/// includes, and each level's features. The C API cannot ask LLVM whether it knows a CPU:
/// <c>LLVMCreateTargetMachine</c> with an unknown name prints to stderr and carries on (or aborts,
/// in assertion builds), so names are checked against this list before LLVM sees them.
/// </summary>
public static class X86Cpus
{
    /// <summary>The microarchitecture levels, from the baseline to AVX-512: index + 1 is the level.</summary>
    public static IReadOnlyList<string> Levels { get; } = ["x86-64", "x86-64-v2", "x86-64-v3", "x86-64-v4"];

    // Named CPUs by the highest level whose every feature they have (extra features, such as
    // AVX-512 VNNI, are not levels and not listed).
    private static readonly Dictionary<string, int> Named = new(StringComparer.Ordinal)
    {
        ["generic"] = 1, ["k8"] = 1, ["k8-sse3"] = 1, ["opteron"] = 1, ["opteron-sse3"] = 1, ["athlon64"] = 1, ["athlon64-sse3"] = 1,
        ["athlon-fx"] = 1, ["amdfam10"] = 1, ["barcelona"] = 1, ["nocona"] = 1, ["core2"] = 1, ["penryn"] = 1, ["bonnell"] = 1, ["atom"] = 1,
        ["nehalem"] = 2, ["corei7"] = 2, ["westmere"] = 2, ["sandybridge"] = 2, ["corei7-avx"] = 2, ["ivybridge"] = 2, ["core-avx-i"] = 2,
        ["silvermont"] = 2, ["slm"] = 2, ["goldmont"] = 2, ["goldmont-plus"] = 2, ["tremont"] = 2, ["btver1"] = 1, ["btver2"] = 2,
        ["bdver1"] = 2, ["bdver2"] = 2, ["bdver3"] = 2, ["bdver4"] = 2,
        ["haswell"] = 3, ["core-avx2"] = 3, ["broadwell"] = 3, ["skylake"] = 3, ["alderlake"] = 3, ["raptorlake"] = 3, ["meteorlake"] = 3,
        ["arrowlake"] = 3, ["arrowlake-s"] = 3, ["lunarlake"] = 3, ["gracemont"] = 3, ["sierraforest"] = 3, ["grandridge"] = 3,
        ["znver1"] = 3, ["znver2"] = 3, ["znver3"] = 3,
        ["knl"] = 3, ["knm"] = 3,
        ["skylake-avx512"] = 4, ["skx"] = 4, ["cascadelake"] = 4, ["cooperlake"] = 4, ["cannonlake"] = 4, ["icelake-client"] = 4,
        ["icelake-server"] = 4, ["tigerlake"] = 4, ["rocketlake"] = 4, ["sapphirerapids"] = 4, ["emeraldrapids"] = 4,
        ["graniterapids"] = 4, ["graniterapids-d"] = 4, ["clearwaterforest"] = 3, ["pantherlake"] = 3, ["diamondrapids"] = 4,
        ["znver4"] = 4, ["znver5"] = 4,
    };

    // What each level adds to the one below (LLVM feature names; x86-64-v1 is SSE2).
    private static readonly string[][] Added =
    [
        ["sse", "sse2"],
        ["sse3", "ssse3", "sse4.1", "sse4.2", "popcnt", "cx16", "sahf"],
        ["avx", "avx2", "bmi", "bmi2", "fma", "f16c", "lzcnt", "movbe", "xsave"],
        ["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"],
    ];

    /// <summary>Whether <paramref name="triple"/> names a 64-bit x86 machine, whose CPU names this class knows.</summary>
    public static bool IsX86_64(string triple)
    {
        ArgumentNullException.ThrowIfNull(triple);
        return triple.StartsWith("x86_64-", StringComparison.Ordinal) || triple.StartsWith("amd64-", StringComparison.Ordinal);
    }

    /// <summary>The level (1–4) that <paramref name="cpu"/> includes, or null for a name LLVM does not know.</summary>
    public static int? LevelOf(string cpu)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        for (var level = 0; level < Levels.Count; level++)
        {
            if (Levels[level] == cpu)
            {
                return level + 1;
            }
        }
        return Named.TryGetValue(cpu, out var named) ? named : null;
    }

    /// <summary>Every feature of <paramref name="level"/> (1–4), those of the lower levels included.</summary>
    public static IEnumerable<string> FeaturesOf(int level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, Added.Length);
        return Added.Take(level).SelectMany(f => f);
    }

    /// <summary>Why <paramref name="cpu"/> is refused, or null when LLVM knows it.</summary>
    public static string? Problem(string cpu) => LevelOf(cpu) is null
        ? $"unknown x86-64 CPU '{cpu}': use a level ({string.Join(", ", Levels)}) or a name LLVM knows, e.g. haswell, skylake-avx512, znver3"
        : null;
}
