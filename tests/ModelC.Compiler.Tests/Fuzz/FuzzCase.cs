using ModelC.Compiler.Semantics.Elaboration;

namespace ModelC.Compiler.Tests.Fuzz;

/// <summary>
/// One generated input: case <see cref="Index"/> of a seed file is fully determined by the
/// seed's name and the index, so a failure reproduces from those two alone.
/// </summary>
internal sealed record FuzzCase(FuzzSeed Seed, int Index, string Source, IReadOnlyList<string> Log, FuzzSeed? Host)
{
    private static readonly System.Text.UTF8Encoding LenientUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Builds case <paramref name="index"/> of <paramref name="seed"/>.</summary>
    public static FuzzCase Generate(FuzzSeed seed, int index)
    {
        var random = FuzzRandom.ForCase(seed.Name, index);
        var (source, log) = SourceMutator.Mutate(seed.Text, random);
        var host = seed.Hosts.Count == 0 ? null : random.Pick(seed.Hosts);
        return new FuzzCase(seed, index, source, log, host);
    }

    /// <summary>
    /// Runs the case. An example is compiled in place (so its imports resolve as usual); a
    /// mutated stdlib module is written into <paramref name="scratch"/>, a copy of the standard
    /// library, then compiled on its own and through an example that imports it.
    /// </summary>
    public (FrontEndRunner.Reached? Outcome, string? Failure) Run(string scratch, TimeSpan timeout)
    {
        if (Seed.StandardModule is not { } module)
        {
            return FrontEndRunner.RunGuarded(RepositoryPaths.Get(Seed.Name), Source, CompilerDriver.Options, timeout);
        }
        var path = Path.Combine(scratch, module + ".mdl");
        // Lone surrogates cannot be written as UTF-8: they become U+FFFD on disk, as in any editor.
        File.WriteAllText(path, Source, LenientUtf8);
        var options = new CompilationOptions { StandardLibrary = scratch };
        var alone = FrontEndRunner.RunGuarded(path, Source, options, timeout);
        if (alone.Failure is not null || Host is null)
        {
            return alone;
        }
        return FrontEndRunner.RunGuarded(RepositoryPaths.Get(Host.Name), Host.Text, options, timeout);
    }

    /// <summary>Everything needed to reproduce the case by hand.</summary>
    public string Describe()
    {
        var text = new System.Text.StringBuilder();
        text.Append("seed ").Append(Seed.Name).Append(", case ").Append(Index);
        if (Host is not null)
        {
            text.Append(" (mutated module imported by ").Append(Host.Name).Append(')');
        }
        text.Append('\n');
        foreach (var line in Log)
        {
            text.Append("  mutation: ").Append(line).Append('\n');
        }
        text.Append("---- mutated source (control characters escaped) ----\n")
            .Append(SourceMutator.Escape(Source).Replace("\\u000a", "\n", StringComparison.Ordinal))
            .Append("\n---- end ----\n");
        return text.ToString();
    }
}
