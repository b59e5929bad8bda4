using ModelC.Backend.Targets;

namespace ModelC.Backend.Driver;

/// <summary>What compiling one distinct kernel or support routine cost (<see cref="CompileTimings.Kernels"/>).</summary>
/// <param name="Symbol">Its symbol in object code.</param>
/// <param name="Origin">The kernel's description (the graph nodes it computes and their layer), or the support routine's name.</param>
/// <param name="Times">The code generator's stages and module sizes.</param>
public sealed record KernelCompileTime(string Symbol, string Origin, CodeGenerationTimes Times);
