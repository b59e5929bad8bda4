using System.IO.Compression;
using System.Reflection;
using System.Text;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Files;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Packaging;

/// <summary>
/// The <c>.modelc</c> file: every model of one <c>.mdl</c> file with its native code, as one
/// resource that a generated assembly embeds. It is a zip archive with, per model,
/// <c>NAME/inference.manifest.json</c>, <c>NAME/inference.so</c> and, for a model with a loss,
/// <c>NAME/training.manifest.json</c> and <c>NAME/training.so</c>. A program built for several
/// CPUs has one more library per variant, <c>NAME/inference.CPU.so</c>, which its manifest lists
/// (<see cref="ModelManifest.Variants"/>), and a program built with GPU kernels has its kernel
/// assembly, <c>NAME/inference.kernels.dll</c>, which its manifest lists with the assembly's SHA-256
/// (<see cref="ModelManifest.Gpu"/>, <see cref="BundledProgram.Gpu"/>). Every entry read is checked against its zip CRC-32, so a
/// damaged bundle is refused before its code reaches the <see cref="KernelCache"/> or the loader.
/// </summary>
public static class ModelBundle
{
    /// <summary>The file extension, with its dot.</summary>
    public const string Extension = ".modelc";

    private const string InferencePrefix = "inference";
    private const string TrainingPrefix = "training";
    private const string ManifestSuffix = ".manifest.json";
    private const string LibrarySuffix = ".so";
    private const string GpuKernelsSuffix = ".kernels.dll";

    // Fixed entry times keep the bytes a function of the models alone, so a rebuild of the same
    // sources gives the same file (and the same assembly).
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes <paramref name="models"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IEnumerable<BundledModel> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        AtomicFile.Write(path, stream => Write(stream, models));
    }

    /// <summary>Writes <paramref name="models"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IEnumerable<BundledModel> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var model in models)
        {
            Add(archive, model.Name, InferencePrefix, model.Inference);
            if (model.Training is { } training)
            {
                Add(archive, model.Name, TrainingPrefix, training);
            }
        }
    }

    /// <summary>Reads the models of a bundle; <paramref name="origin"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The stream is no bundle, or a model in it is incomplete.</exception>
    public static IReadOnlyDictionary<string, BundledModel> Read(Stream stream, string origin)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            return Read(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{origin}: {e.Message}", e);
        }
    }

    /// <summary>Reads the bundle embedded in <paramref name="assembly"/> as resource <paramref name="resourceName"/>.</summary>
    /// <exception cref="InvalidDataException">The resource is missing or no bundle.</exception>
    public static IReadOnlyDictionary<string, BundledModel> FromResource(Assembly assembly, string resourceName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var origin = $"resource '{resourceName}' of {assembly.GetName().Name}";
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidDataException($"{origin} is missing; the assembly was built without its compiled models");
        return Read(stream, origin);
    }

    private static Dictionary<string, BundledModel> Read(Stream stream)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"not a valid model bundle: {e.Message}", e);
        }
        using (archive)
        {
            var entries = archive.Entries.ToDictionary(e => e.FullName, StringComparer.Ordinal);
            var models = new Dictionary<string, BundledModel>(StringComparer.Ordinal);
            foreach (var name in entries.Keys.Select(k => k.Split('/')[0]).Distinct(StringComparer.Ordinal))
            {
                var inference = Program(entries, name, InferencePrefix) ?? throw new InvalidDataException($"model '{name}' has no inference program");
                models[name] = new BundledModel(name, inference, Program(entries, name, TrainingPrefix));
            }
            return models;
        }
    }

    private static void Add(ZipArchive archive, string model, string program, BundledProgram code)
    {
        var variants = code.Variants.Select(v => new CpuVariant(v.Cpu, $"{program}.{v.Cpu}{LibrarySuffix}", v.Program.Manifest)).ToArray();
        var gpu = code.Gpu is { } build
            ? new GpuBuild(program + GpuKernelsSuffix, build.Manifest with { LibrarySha256 = ModelArtifact.HashOf(build.Library) })
            : null;
        var manifest = code.Manifest with { Variants = [.. variants], Gpu = gpu };
        WriteEntry(archive, $"{model}/{program}{ManifestSuffix}", Encoding.UTF8.GetBytes(ManifestFile.Serialize(manifest)));
        WriteEntry(archive, $"{model}/{program}{LibrarySuffix}", code.Library);
        for (var i = 0; i < variants.Length; i++)
        {
            WriteEntry(archive, $"{model}/{variants[i].Library}", code.Variants[i].Program.Library);
        }
        if (gpu is not null)
        {
            WriteEntry(archive, $"{model}/{gpu.Library}", code.Gpu!.Library);
        }
    }

    private static void WriteEntry(ZipArchive archive, string name, byte[] bytes)
    {
        var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryTime;
        using var stream = entry.Open();
        stream.Write(bytes);
    }

    private static BundledProgram? Program(Dictionary<string, ZipArchiveEntry> entries, string model, string program)
    {
        var manifestName = $"{model}/{program}{ManifestSuffix}";
        var libraryName = $"{model}/{program}{LibrarySuffix}";
        var hasManifest = entries.TryGetValue(manifestName, out var manifest);
        var hasLibrary = entries.TryGetValue(libraryName, out var library);
        if (!hasManifest && !hasLibrary)
        {
            return null;
        }
        if (!hasManifest || !hasLibrary)
        {
            throw new InvalidDataException($"'{(hasManifest ? libraryName : manifestName)}' is missing");
        }
        var parsed = ManifestFile.Parse(Encoding.UTF8.GetString(ReadAll(manifest!)));
        var variants = parsed.Variants.Select(v => new BundledVariant(v.Cpu, new BundledProgram(v.Manifest, ReadListed(entries, model, v.Library))));
        // The GPU manifest keeps its SHA-256: the assembly is checked against it when it is loaded.
        var gpu = parsed.Gpu is { } build ? new BundledProgram(build.Manifest, ReadListed(entries, model, build.Library)) : null;
        return new BundledProgram(parsed with { Variants = [], Gpu = null }, ReadAll(library!)) { Variants = [.. variants], Gpu = gpu };
    }

    // An entry the manifest of a program of model lists.
    private static byte[] ReadListed(Dictionary<string, ZipArchiveEntry> entries, string model, string library) =>
        ReadAll(entries.GetValueOrDefault($"{model}/{library}") ?? throw new InvalidDataException($"'{model}/{library}' is missing"));

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        var crc = ZipCrc32.Append(0, bytes);
        if (crc != entry.Crc32)
        {
            throw new InvalidDataException($"entry '{entry.FullName}' is corrupted: its CRC-32 is {crc:x8}, the bundle records {entry.Crc32:x8}");
        }
        return bytes;
    }
}
