using System.Security.Cryptography;
using System.Text;
using ModelC.Backend.Targets;

namespace ModelC.Backend.Driver;

/// <summary>
/// Computes a support routine's key: the SHA-256 of its name (which says everything its code
/// depends on besides the target and the code generator) and the compilation's identity
/// (<see cref="CodeGeneratorIdentity"/>). It shares the cache with kernels' keys; the format tag
/// keeps the two apart.
/// </summary>
public static class SupportFingerprint
{
    private const string Format = "modelc-support-1";

    /// <summary>The key of <paramref name="routine"/> compiled under <paramref name="identity"/>.</summary>
    public static KernelKey Of(SupportRoutine routine, string identity)
    {
        ArgumentNullException.ThrowIfNull(routine);
        ArgumentNullException.ThrowIfNull(identity);
        var text = $"{Format}\n{routine.Name}\n{identity}";
        return new KernelKey(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
    }
}
