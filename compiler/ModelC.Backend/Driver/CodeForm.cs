namespace ModelC.Backend.Driver;

/// <summary>What form a compiled program's code takes.</summary>
public enum CodeForm
{
    /// <summary>Loaded into this process, ready to run (<c>modelc run</c>, <c>modelc train</c>, tests): <see cref="CompiledProgram.Kernels"/>.</summary>
    InProcess,

    /// <summary>The bytes of a library file for the runtime to load (<c>modelc build</c>, the .NET binding): <see cref="CompiledProgram.Library"/>.</summary>
    Library,

    /// <summary>No code: the manifest alone, for tools that only need a program's interface and schedule.</summary>
    ManifestOnly,
}
