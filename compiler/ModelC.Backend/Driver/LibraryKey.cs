using System.Security.Cryptography;
using System.Text;

namespace ModelC.Backend.Driver;

/// <summary>
/// A linked library's identity: the SHA-256 of its kernels' keys in link order, as 64 lowercase
/// hex digits. The kernel keys already hold the target and the code generator, so equal library
/// keys mean libraries linked from the same objects.
/// </summary>
/// <param name="Hex">The hash in lowercase hex.</param>
public readonly record struct LibraryKey(string Hex)
{
    private const string Format = "modelc-library-1";

    /// <summary>The key of the library linked from the objects of <paramref name="kernels"/>, in this order.</summary>
    public static LibraryKey Of(IEnumerable<KernelKey> kernels)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        var text = new StringBuilder(Format);
        foreach (var kernel in kernels)
        {
            text.Append('\n').Append(kernel.Hex);
        }
        return new LibraryKey(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(text.ToString()))));
    }

    /// <inheritdoc/>
    public override string ToString() => Hex;
}
