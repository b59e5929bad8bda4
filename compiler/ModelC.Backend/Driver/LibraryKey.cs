using System.Security.Cryptography;
using System.Text;

namespace ModelC.Backend.Driver;

/// <summary>
/// A linked library's identity: the SHA-256 of its kernels' keys in link order and of the hash of
/// the manifest it is stamped with (<see cref="ModelC.Runtime.Manifest.ManifestHash"/>), as 64
/// lowercase hex digits. The kernel keys already hold the target and the code generator, so equal
/// library keys mean libraries linked from the same objects for the same manifest.
/// </summary>
/// <param name="Hex">The hash in lowercase hex.</param>
public readonly record struct LibraryKey(string Hex)
{
    private const string Format = "modelc-library-2";

    /// <summary>The key of the library linked from the objects of <paramref name="kernels"/>, in this order, for the manifest of hash <paramref name="manifestSha256"/>.</summary>
    public static LibraryKey Of(IEnumerable<KernelKey> kernels, byte[] manifestSha256)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentNullException.ThrowIfNull(manifestSha256);
        var text = new StringBuilder(Format).Append('\n').Append(Convert.ToHexStringLower(manifestSha256));
        foreach (var kernel in kernels)
        {
            text.Append('\n').Append(kernel.Hex);
        }
        return new LibraryKey(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(text.ToString()))));
    }

    /// <inheritdoc/>
    public override string ToString() => Hex;
}
