using System.CommandLine;
using System.Runtime.InteropServices;
using ModelC.Backend.Cpu;
using ModelC.Llvm;

namespace ModelC.Cli;

/// <summary>
/// The target options of <c>modelc build</c>: by default a portable x86-64 CPU (the library runs
/// on machines other than the one that built it) plus a variant for AVX-512 CPUs that the runtime
/// prefers where it can; this machine's with <c>--cpu native</c>, one named CPU, or a cross-build
/// target. <c>modelc run</c> and <c>modelc train</c> compile for this machine only.
/// </summary>
internal sealed class CpuOptions
{
    /// <summary>The <c>--cpu</c> value that means this machine's CPU and features.</summary>
    public const string Native = "native";

    public Option<string?> Triple { get; } = new("--target") { Description = "LLVM target triple to cross-build for, e.g. aarch64-linux-gnu (default: the host's)." };

    public Option<string?> Cpu { get; } = new("--cpu")
    {
        Description = $"The CPU to compile for: '{Native}' (this machine's), an x86-64 level ({string.Join(", ", X86Cpus.Levels)}) or an LLVM CPU name such as znver3 "
            + $"(default for x86-64: {CpuTarget.Portable.Cpu}, which runs on any CPU with AVX2 and FMA, plus {string.Join(" and ", CpuTarget.PortableVariants.Select(v => v.Cpu))}, "
            + "which the runtime runs instead where the CPU has AVX-512; the target's generic CPU otherwise).",
    };

    public Option<string?> Features { get; } = new("--features") { Description = "LLVM CPU features to add or remove, e.g. +avx512f or -fma." };

    public IEnumerable<Option> All => [Triple, Cpu, Features];

    /// <summary>
    /// The targets the options ask for: the one every library is built for first, then the
    /// variants built beside it (by default on x86-64: <see cref="CpuTarget.PortableVariants"/>;
    /// none when a CPU or features are named); null after printing why when they name no usable one.
    /// </summary>
    public IReadOnlyList<CpuTarget>? Read(ParseResult parse, TextWriter error)
    {
        var triple = parse.GetValue(Triple);
        var x86 = triple is null ? RuntimeInformation.ProcessArchitecture == Architecture.X64 : X86Cpus.IsX86_64(triple);
        var cpu = parse.GetValue(Cpu) ?? (x86 ? CpuTarget.Portable.Cpu : null);
        var problem = cpu switch
        {
            Native when triple is not null && triple != NativeTarget.HostTriple => $"--cpu {Native} is this {NativeTarget.HostTriple} machine's CPU; name a CPU of {triple}",
            Native or null => null,
            _ when x86 => X86Cpus.Problem(cpu),
            _ => null,
        } ?? CrossLinkerProblem(triple);
        if (problem is not null)
        {
            error.WriteLine($"modelc: error: {problem}");
            return null;
        }
        var features = parse.GetValue(Features);
        var target = new CpuTarget(triple, cpu == Native ? null : cpu, features);
        return parse.GetValue(Cpu) is null && features is null && x86
            ? [target, .. CpuTarget.PortableVariants.Select(v => v with { Triple = triple })]
            : [target];
    }

    // The host's C compiler links only the host's architecture: another needs a cross linker in CC.
    private static string? CrossLinkerProblem(string? triple)
    {
        static string ArchitectureOf(string t) => t.Split('-')[0];
        return triple is null || ArchitectureOf(triple) == ArchitectureOf(NativeTarget.HostTriple) || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("CC"))
            ? null
            : $"linking a library for {triple} needs a linker for {ArchitectureOf(triple)}: set CC to one, e.g. CC={triple}-gcc";
    }
}
