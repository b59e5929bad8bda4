using System.CommandLine;
using System.Text;
using ModelC.Backend.Driver;
using ModelC.Backend.Targets;
using ModelC.Compiler.Semantics.Symbols;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Packaging;

namespace ModelC.Cli.Building;

/// <summary>
/// The programs that <c>modelc run</c> of a source file compiled, kept in the <see cref="BuildCache"/>
/// so that the same run again (unchanged sources, compile options, compiler, environment and
/// target) loads them without parsing, lowering or linking. The key covers only what changes the
/// code (<see cref="CompileArguments"/>): a run with another <c>--repeat</c>, <c>--seed</c> or
/// <c>--batch</c> loads the same programs. An entry is a <see cref="BuildRecord"/>: per model its
/// compile summary and, as <c>modelc build --emit native</c> names them, its manifest and linked
/// library; the warnings the front end printed; the sources with their hashes (any edit is a miss).
/// </summary>
internal sealed class ProgramCache(BuildCache builds)
{
    /// <summary>The cache in the user's compile cache, or null when the cache is turned off.</summary>
    public static ProgramCache? Default => BuildCache.Default is { } builds ? new ProgramCache(builds) : null;

    /// <summary>
    /// The command-line values that change what <paramref name="command"/> compiles: the file and
    /// the options every compiling command declares (<paramref name="options"/>), each with its name.
    /// </summary>
    public static IEnumerable<string> CompileArguments(string command, ParseResult parse, CompilerSession.Options options)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(options);
        yield return $"program of {command}";
        yield return $"file {parse.GetValue(options.File)!.FullName}";
        if (parse.GetValue(options.Model) is { } model)
        {
            yield return $"{options.Model.Name} {model}";
        }
        foreach (var define in parse.GetValue(options.Define) ?? [])
        {
            yield return $"{options.Define.Name} {define}";
        }
        yield return $"{options.Mode.Name} {parse.GetValue(options.Mode)}";
        if (parse.GetValue(options.Stdlib) is { } stdlib)
        {
            yield return $"{options.Stdlib.Name} {stdlib.FullName}";
        }
        yield return $"{options.MaxDepth.Name} {parse.GetValue(options.MaxDepth)}";
        yield return $"{options.DiagnosticFormat.Name} {parse.GetValue(options.DiagnosticFormat)}";
        yield return $"{options.MaxErrors.Name} {parse.GetValue(options.MaxErrors)}";
    }

    /// <summary>The key of the programs compiled from <paramref name="arguments"/> (<see cref="CompileArguments"/>) for <paramref name="target"/>, in this process.</summary>
    public static BuildKey KeyOf(IEnumerable<string> arguments, ICompileTarget target) => BuildCache.KeyOf(arguments, [target]);

    /// <summary>The programs and warnings under <paramref name="key"/> when the entry is sound and its sources unchanged; else null.</summary>
    public (IReadOnlyList<CachedProgram> Programs, string Warnings)? TryLoad(BuildKey key) =>
        builds.TryLoad(key) is { } record && ProgramsOf(record) is { } programs ? (programs, record.Error) : null;

    /// <summary>Keeps <paramref name="programs"/>, compiled from <paramref name="sources"/> with <paramref name="warnings"/> printed, under <paramref name="key"/>.</summary>
    public void Store(BuildKey key, IEnumerable<SourceModule> sources, string warnings, IReadOnlyList<CachedProgram> programs)
    {
        var hashes = sources.Select(m => new SourceHash(Path.GetFullPath(m.FullPath), SourceHash.Of(m.Tree.Source.Content))).DistinctBy(s => s.Path).ToList();
        var output = programs.Select(p => new OutputPiece(p.Summary, (p.Statistics.Kernels, p.Statistics.Unique))).ToList();
        var files = programs.SelectMany(p => new[]
        {
            new RecordedFile(Path.GetFileName(ModelArtifact.ManifestPath("", p.Name)), Encoding.UTF8.GetBytes(ManifestFile.Serialize(p.Program.Manifest))),
            new RecordedFile(Path.GetFileName(ModelArtifact.LibraryPath("", p.Name)), p.Program.Library),
        }).ToList();
        builds.Store(key, new BuildRecord(hashes, output, warnings, files, []));
    }

    /// <summary>
    /// Loads <paramref name="program"/>'s library (written once per content into the kernel cache
    /// folder, <see cref="KernelCache"/>) after checking that this CPU runs it and that it was built
    /// with the program's manifest.
    /// </summary>
    /// <exception cref="InvalidOperationException">The code needs CPU features this processor lacks, or cannot be loaded.</exception>
    /// <exception cref="InvalidDataException">The library was not built with the manifest.</exception>
    /// <exception cref="IOException">The kernel cache cannot be written.</exception>
    public static SharedLibraryKernels Load(BundledProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        CpuFeatureSupport.EnsureSupported(program.Manifest);
        var path = KernelCache.Extract(program.Library, Path.GetFileName(ModelArtifact.LibraryPath("", program.Manifest.Name)));
        return ManifestHash.LoadChecked(program.Manifest, path);
    }

    // The record's programs: a summary per model, then its manifest and library; null when it is not laid out so.
    private static List<CachedProgram>? ProgramsOf(BuildRecord record)
    {
        if (record.Files.Count != 0 || record.StagedFiles.Count != 2 * record.Output.Count || record.Output.Any(p => p.Compile is null))
        {
            return null;
        }
        try
        {
            return [.. record.Output.Select((piece, i) =>
            {
                var manifest = ManifestFile.Parse(Encoding.UTF8.GetString(record.StagedFiles[2 * i].Bytes));
                var (kernels, unique) = piece.Compile!.Value;
                return new CachedProgram(piece.Text, new CompileStatistics(kernels, unique, 0, unique, TimeSpan.Zero), new BundledProgram(manifest, record.StagedFiles[2 * i + 1].Bytes));
            })];
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
