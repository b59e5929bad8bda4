namespace ModelC.Backend.Driver;

/// <summary>How far the objects of a compile are: <see cref="Done"/> of <see cref="Total"/> distinct kernels and support routines have their object code.</summary>
/// <param name="Done">Distinct kernels and support routines compiled or read from the cache so far.</param>
/// <param name="Total">Distinct kernels and support routines that need object code.</param>
public readonly record struct CompileProgress(int Done, int Total);
