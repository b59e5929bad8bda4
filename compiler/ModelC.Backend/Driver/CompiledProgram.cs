using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Packaging;

namespace ModelC.Backend.Driver;

/// <summary>
/// A program compiled by <see cref="ModelCompiler"/>: its manifest and its code in the
/// <see cref="CodeForm"/> asked for. The caller owns <see cref="Kernels"/> and disposes it (or
/// hands it to a <see cref="ModelInstance"/> with <c>ownsKernels</c>).
/// </summary>
public sealed class CompiledProgram
{
    private readonly IKernelLibrary? _kernels;
    private readonly byte[]? _library;

    internal CompiledProgram(ModelManifest manifest, CodeForm form, IKernelLibrary? kernels, byte[]? library, CompileStatistics statistics)
    {
        Manifest = manifest;
        Form = form;
        _kernels = kernels;
        _library = library;
        Statistics = statistics;
    }

    /// <summary>What the runtime needs besides the code.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The form of the code.</summary>
    public CodeForm Form { get; }

    /// <summary>The code loaded in process (<see cref="CodeForm.InProcess"/>).</summary>
    /// <exception cref="InvalidOperationException">The program was compiled in another form.</exception>
    public IKernelLibrary Kernels => _kernels ?? throw new InvalidOperationException($"the program was compiled as {Form}, not in process");

    /// <summary>The library's bytes (<see cref="CodeForm.Library"/>).</summary>
    /// <exception cref="InvalidOperationException">The program was compiled in another form.</exception>
    public byte[] Library => _library ?? throw new InvalidOperationException($"the program was compiled as {Form}, not as a library");

    /// <summary>The compile call that made this program (shared by the programs compiled together).</summary>
    public CompileStatistics Statistics { get; }

    /// <summary>The manifest and library, as a .NET binding's bundle holds them.</summary>
    /// <exception cref="InvalidOperationException">The program was not compiled as a library.</exception>
    public BundledProgram ToBundle() => new(Manifest, Library);
}
