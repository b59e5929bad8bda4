using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using ModelC.Backend.Artifacts;
using ModelC.Backend.Driver;
using ModelC.Backend.Targets;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Files;

namespace ModelC.Cli.Building;

/// <summary>
/// Whole builds in the <see cref="CompileCache"/>: a <c>modelc build</c> whose command line,
/// working folder, environment, compiler build, targets and source files are all unchanged writes
/// the outputs it wrote last time, without parsing, lowering or linking (<see cref="BuildRecord"/>).
/// The key covers everything but the sources (<see cref="KeyOf(IEnumerable{string}, IEnumerable{ICompileTarget})"/>);
/// the entry lists the sources read with the hash of their text, and any that differs, or cannot be
/// read, makes the entry a miss. A damaged entry is a miss too (the cache's checks, then the
/// record's layout), and the build that follows replaces it.
/// </summary>
internal sealed class BuildCache(CompileCache cache)
{
    private const string Format = "modelc-build-1";

    /// <summary>The build cache in the user's compile cache, or null when the cache is turned off.</summary>
    public static BuildCache? Default => CompileCache.Default is { } cache ? new BuildCache(cache) : null;

    /// <summary>
    /// What the compiler's code is: the runtime, and the module version id of every assembly
    /// beside the command (deterministic builds derive it from the content, so any rebuild that
    /// changes the compiler, or a package it uses, gives another).
    /// </summary>
    public static string CompilerIdentity { get; } = IdentityOf(AppContext.BaseDirectory);

    /// <summary>The key of a build with these <paramref name="arguments"/> (the parsed tokens) for <paramref name="targets"/>, in this process.</summary>
    public static BuildKey KeyOf(IEnumerable<string> arguments, IEnumerable<ICompileTarget> targets) =>
        KeyOf(arguments, Environment.CurrentDirectory, Settings(), CompilerIdentity, targets.Select(CodeGeneratorIdentity.Of));

    /// <summary>The key of a build from all its inputs but the sources.</summary>
    public static BuildKey KeyOf(IEnumerable<string> arguments, string workingDirectory, IEnumerable<KeyValuePair<string, string>> environment, string compiler, IEnumerable<string> targets)
    {
        var text = new StringBuilder(Format).Append('\n').Append("cwd ").Append(workingDirectory).Append('\n').Append("compiler ").Append(compiler).Append('\n');
        foreach (var argument in arguments)
        {
            // Length-prefixed: no argument can pass for two.
            text.Append("arg ").Append(argument.Length).Append(' ').Append(argument).Append('\n');
        }
        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append("env ").Append(name.Length).Append(' ').Append(name).Append('=').Append(value.Length).Append(' ').Append(value).Append('\n');
        }
        foreach (var target in targets)
        {
            text.Append("target ").Append(target).Append('\n');
        }
        return new BuildKey(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))));
    }

    /// <summary>The record under <paramref name="key"/> when it is sound and every source it lists is unchanged; else null.</summary>
    public BuildRecord? TryLoad(BuildKey key) =>
        cache.TryRead(key) is { } bytes && BuildRecord.TryDeserialize(bytes) is { } record && record.Sources.All(Unchanged) ? record : null;

    /// <summary>Keeps <paramref name="record"/> under <paramref name="key"/> (nothing when the cache cannot be written).</summary>
    public void Store(BuildKey key, BuildRecord record) => cache.Write(key, record.Serialize());

    /// <summary>
    /// Does again what the recorded build did: writes its files (the staged ones into a new version
    /// of <paramref name="outputDirectory"/>, published as a unit) and prints its output, each compile
    /// summary as a compile that took every kernel from the cache in <paramref name="elapsed"/>.
    /// </summary>
    /// <exception cref="IOException">An output cannot be written.</exception>
    public static void Replay(BuildRecord record, string outputDirectory, TextWriter output, TextWriter error, Stopwatch elapsed)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.StagedFiles.Count > 0)
        {
            using var staged = StagedOutputFolder.Begin(outputDirectory);
            foreach (var file in record.StagedFiles)
            {
                File.WriteAllBytes(Path.Combine(staged.Path, file.Name), file.Bytes);
            }
            staged.Publish();
        }
        foreach (var file in record.Files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file.Name)!);
            AtomicFile.Write(file.Name, stream => stream.Write(file.Bytes));
        }
        error.Write(record.Error);
        foreach (var piece in record.Output)
        {
            output.Write(piece.Text);
            if (piece.Compile is { } compile)
            {
                output.WriteLine(new CompileStatistics(compile.Kernels, compile.Unique, 0, compile.Unique, elapsed.Elapsed));
            }
        }
    }

    // The environment that changes what a build writes: ModelC's own variables (LLVM, standard library, cache) and the linker.
    private static IEnumerable<KeyValuePair<string, string>> Settings() =>
        Environment.GetEnvironmentVariables().Keys.OfType<string>()
            .Where(name => name.StartsWith("MODELC_", StringComparison.Ordinal) || name == "CC")
            .Select(name => KeyValuePair.Create(name, Environment.GetEnvironmentVariable(name) ?? ""));

    private static bool Unchanged(SourceHash source)
    {
        try
        {
            // The compiler refuses a device or FIFO; reading one here could block.
            return RegularFile.Problem(source.Path) is null && SourceHash.Of(File.ReadAllText(source.Path)) == source.Sha256;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string IdentityOf(string folder)
    {
        var text = new StringBuilder(RuntimeInformation.FrameworkDescription);
        foreach (var file in Directory.EnumerateFiles(folder, "*.dll").Order(StringComparer.Ordinal))
        {
            text.Append("; ").Append(Path.GetFileName(file)).Append(' ').Append(ModuleVersionOf(file));
        }
        return text.ToString();
    }

    // A managed assembly's module version id; for a file that is not one, its length and time.
    private static string ModuleVersionOf(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var pe = new PEReader(stream);
            if (pe.HasMetadata)
            {
                var metadata = pe.GetMetadataReader();
                return metadata.GetGuid(metadata.GetModuleDefinition().Mvid).ToString("N");
            }
        }
        catch (BadImageFormatException)
        {
            // Not a PE file: described by its length and time below.
        }
        var info = new FileInfo(file);
        return $"{info.Length} {info.LastWriteTimeUtc.Ticks}";
    }
}
