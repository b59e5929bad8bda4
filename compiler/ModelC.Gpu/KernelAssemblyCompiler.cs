using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelC.Backend.Targets;
using ModelC.Gpu.Runtime;

namespace ModelC.Gpu;

/// <summary>
/// Compiles the C# sources of a program's GPU kernels (one per kernel, see
/// <see cref="Codegen.KernelSourceWriter"/>) with Roslyn into one .NET assembly: IL that ILGPU
/// compiles for whichever accelerator runs it (PTX for CUDA, .NET code on its CPU accelerator).
/// </summary>
public static class KernelAssemblyCompiler
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>
    /// The assembly image of the kernels <paramref name="objects"/> (their C# sources, UTF-8),
    /// stamped with <paramref name="manifestSha256"/> when given (<see cref="GpuKernelConvention.ManifestStampClass"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">A source does not compile (a bug in the generator; the message lists Roslyn's errors).</exception>
    public static byte[] Compile(IReadOnlyList<KernelObject> objects, byte[]? manifestSha256 = null)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = objects.Select(o => CSharpSyntaxTree.ParseText(Encoding.UTF8.GetString(o.Code), parse, path: o.Key.Symbol + ".cs"));
        if (manifestSha256 is not null)
        {
            trees = trees.Append(CSharpSyntaxTree.ParseText(
                $"namespace {GpuKernelConvention.Namespace} {{ public static class {GpuKernelConvention.ManifestStampClass} {{ public const string {GpuKernelConvention.ManifestStampField} = \"{Convert.ToHexStringLower(manifestSha256)}\"; }} }}",
                parse, path: GpuKernelConvention.ManifestStampClass + ".cs"));
        }
        // The name depends on the kernels, so that two programs' assemblies load side by side.
        var name = "ModelC.Gpu.Kernels." + string.Concat(objects.Select(o => o.Key.Symbol)).GetHashCode(StringComparison.Ordinal).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        var compilation = CSharpCompilation.Create(name, trees, References.Value, new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, deterministic: true));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10);
            throw new InvalidOperationException("the generated GPU kernel source does not compile (a modelc bug; please report it):\n  " + string.Join("\n  ", errors));
        }
        return image.ToArray();
    }

    // The assemblies of the running framework, ILGPU and the GPU runtime (KernelMath): the kernels
    // run in a process like this one.
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var framework = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return [.. framework
            .Append(typeof(ILGPU.Grid).Assembly.Location)
            .Append(typeof(KernelMath).Assembly.Location)
            .Where(p => p.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
