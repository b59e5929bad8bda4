using ModelC.Backend.Driver;

namespace ModelC.Backend.Targets;

/// <summary>One kernel's object code, compiled by an <see cref="IKernelCodeGenerator"/> or read from the <see cref="CompileCache"/>.</summary>
/// <param name="Key">The kernel's content hash; its symbols derive from it.</param>
/// <param name="Code">The object file's bytes.</param>
public sealed record KernelObject(KernelKey Key, byte[] Code);
