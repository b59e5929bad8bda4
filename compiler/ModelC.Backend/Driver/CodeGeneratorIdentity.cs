using System.Reflection;
using ModelC.Backend.Targets;

namespace ModelC.Backend.Driver;

/// <summary>
/// What every kernel key is computed under: the build of the code generator and the target. The
/// module version ids (MVIDs) of this assembly (kernel lowering, emitters, the CPU target) and of the
/// target's assembly change with every rebuild that changes their code, so an object compiled by
/// an older emitter is never taken from the cache — a stale object would be a silent wrong result.
/// </summary>
public static class CodeGeneratorIdentity
{
    /// <summary>The identity for <paramref name="target"/>.</summary>
    public static string Of(ICompileTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return $"generator {Version(typeof(CodeGeneratorIdentity).Assembly)}; target {Version(target.GetType().Assembly)}; {target.Identity}";
    }

    /// <summary>An assembly's module version id (deterministic builds derive it from the assembly's content).</summary>
    public static string Version(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return $"{assembly.GetName().Name} {assembly.ManifestModule.ModuleVersionId:N}";
    }
}
