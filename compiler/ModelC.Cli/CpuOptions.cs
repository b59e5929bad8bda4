using System.CommandLine;
using ModelC.Backend.Cpu;

namespace ModelC.Cli;

/// <summary>The target options of <c>modelc build</c>: the host by default, or a cross-build target.</summary>
internal sealed class CpuOptions
{
    public Option<string?> Triple { get; } = new("--target") { Description = "LLVM target triple (default: the host's), e.g. x86_64-pc-linux-gnu." };

    public Option<string?> Cpu { get; } = new("--cpu") { Description = "LLVM CPU name (default: the host's), e.g. x86-64-v3 or znver3." };

    public Option<string?> Features { get; } = new("--features") { Description = "LLVM CPU features (default: the CPU's), e.g. +avx2,+fma." };

    public IEnumerable<Option> All => [Triple, Cpu, Features];

    public CpuTarget Read(ParseResult parse) => new(parse.GetValue(Triple), parse.GetValue(Cpu), parse.GetValue(Features));
}
