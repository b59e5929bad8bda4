namespace ModelC.Backend.Driver;

/// <summary>How far the kernels of a compile are: <see cref="Done"/> of <see cref="Total"/> distinct kernels have their object code.</summary>
/// <param name="Done">Distinct kernels compiled or read from the cache so far.</param>
/// <param name="Total">Distinct kernels that need object code.</param>
public readonly record struct CompileProgress(int Done, int Total);
