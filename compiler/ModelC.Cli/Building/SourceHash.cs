using System.Security.Cryptography;
using System.Text;

namespace ModelC.Cli.Building;

/// <summary>A source file and the SHA-256 (lowercase hex) of its text as the compiler read it.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Sha256">The hash of its text in UTF-8.</param>
internal sealed record SourceHash(string Path, string Sha256)
{
    /// <summary>The hash of <paramref name="text"/>, as <see cref="Sha256"/> holds it.</summary>
    public static string Of(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
