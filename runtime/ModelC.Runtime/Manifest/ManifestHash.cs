using ModelC.Runtime.Execution;
using ModelC.Runtime.Files;

namespace ModelC.Runtime.Manifest;

/// <summary>
/// Binds a library to its manifest in the direction <see cref="ModelManifest.LibrarySha256"/>
/// cannot: the backend stamps every library it links with the SHA-256 of its manifest, as an
/// exported constant of 32 bytes (<see cref="Symbol"/>), and the runtime compares the stamp with
/// the manifest it was handed before any kernel runs. A manifest edited consistently with itself —
/// a dimension, an element type, two kernel symbols swapped — passes <see cref="ManifestValidator"/>
/// but not this check. The hash is over the manifest's canonical bytes: its JSON as
/// <see cref="ManifestFile.Serialize(ModelManifest)"/> writes it, without the fields that bind libraries to it
/// (<see cref="ModelManifest.LibrarySha256"/>, <see cref="ModelManifest.Variants"/>: builds for
/// other CPUs, each with its own manifest and stamp, and <see cref="ModelManifest.Gpu"/>: the GPU
/// build, likewise), which are only known once the libraries are linked.
/// </summary>
public static class ManifestHash
{
    /// <summary>The library's exported constant holding the hash (32 bytes, no terminator).</summary>
    public const string Symbol = "modelc_manifest_sha256";

    /// <summary>The length of the hash in bytes.</summary>
    public const int Length = 32;

    /// <summary>The SHA-256 of <paramref name="manifest"/>'s canonical bytes, which its library carries.</summary>
    public static byte[] Of(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        // Hashed as it is written: a large model's manifest is never held whole as text.
        using var hash = new Sha256Stream();
        ManifestFile.Serialize(manifest with { LibrarySha256 = null, Variants = [], Gpu = null }, hash);
        return hash.Finish();
    }

    /// <summary>Loads the library at <paramref name="libraryPath"/> and <see cref="Check"/>s it against <paramref name="manifest"/>; unloads it again when refused.</summary>
    /// <exception cref="InvalidOperationException">The file cannot be loaded as a shared library.</exception>
    /// <exception cref="InvalidDataException">The library carries no hash, or another manifest's.</exception>
    public static SharedLibraryKernels LoadChecked(ModelManifest manifest, string libraryPath)
    {
        var kernels = new SharedLibraryKernels(libraryPath);
        try
        {
            Check(manifest, kernels, libraryPath);
            return kernels;
        }
        catch
        {
            kernels.Dispose();
            throw;
        }
    }

    /// <summary>Refuses <paramref name="library"/> (loaded from <paramref name="libraryPath"/>) unless it carries the hash of <paramref name="manifest"/>.</summary>
    /// <exception cref="InvalidDataException">The library carries no hash, or another manifest's.</exception>
    public static void Check(ModelManifest manifest, SharedLibraryKernels library, string libraryPath)
    {
        ArgumentNullException.ThrowIfNull(library);
        var expected = Convert.ToHexStringLower(Of(manifest));
        if (library.ReadExport(Symbol, Length) is not { } stamp)
        {
            throw new InvalidDataException(
                $"'{libraryPath}' carries no manifest hash ('{Symbol}'); it was built by an older modelc: rebuild the model with this version's modelc");
        }
        var actual = Convert.ToHexStringLower(stamp);
        if (actual != expected)
        {
            throw new InvalidDataException(
                $"the manifest does not match its library: '{libraryPath}' was built with a manifest of SHA-256 {actual}, this one has {expected}; the manifest was edited or is from another build");
        }
    }
}
