using ModelC.Compiler.Semantics;
using ModelC.DotNet;
using ModelC.Gpu.Runtime;
using ModelC.Runtime.Bindings;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Packaging;

namespace ModelC.Cli.Building;

/// <summary>
/// The .NET side of <c>modelc build</c>: the models of one <c>.mdl</c> file, collected as they
/// compile, written as generated C# and a bundle (<see cref="EmitKind.Source"/>) or as a
/// compiled assembly (<see cref="EmitKind.Assembly"/>), with public or internal classes.
/// </summary>
internal sealed class DotNetOutput(string sourceFile, string ns, ClassVisibility visibility)
{
    private readonly List<ModelBinding> _models = [];

    /// <summary>The names of the models added so far.</summary>
    public IEnumerable<string> Models => _models.Select(m => m.Code.Name);

    /// <summary>Adds a compiled model.</summary>
    public void Add(ModelBinding model) => _models.Add(model);

    /// <summary>Writes <c>stem.g.cs</c> and <c>stem.modelc</c> into <paramref name="directory"/>; returns their paths.</summary>
    public IReadOnlyList<string> WriteSource(string directory)
    {
        var stem = Path.GetFileNameWithoutExtension(sourceFile);
        var source = Path.Combine(directory, stem + ".g.cs");
        var bundle = Path.Combine(directory, stem + ModelBundle.Extension);
        Directory.CreateDirectory(directory);
        ModelBundle.Write(bundle, _models.Select(m => m.Code));
        var text = BindingSource.Generate(sourceFile, ns, _models, visibility);
        AtomicFile.Write(source, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(text)));
        return [source, bundle];
    }

    /// <summary>
    /// Compiles <c>Stem.dll</c> and <c>Stem.xml</c> into <paramref name="directory"/>, with a copy
    /// of the runtime and System.Numerics.Tensors it references (and, for models with GPU kernels,
    /// of the GPU runtime and ILGPU), so the folder is ready to reference; returns the files
    /// written, the assembly first.
    /// </summary>
    public IReadOnlyList<string> WriteAssembly(string directory)
    {
        var name = BindingSource.AssemblyName(sourceFile);
        using var bundle = new MemoryStream();
        ModelBundle.Write(bundle, _models.Select(m => m.Code));
        var assembly = Path.Combine(directory, name + ".dll");
        Directory.CreateDirectory(directory);
        BindingAssembly.Compile(name, BindingSource.Generate(sourceFile, ns, _models, visibility), BindingSource.ResourceName(sourceFile),
            bundle.ToArray(), assembly, Path.ChangeExtension(assembly, ".xml"));
        // The runtime and the tensor package its tensor overloads use; with GPU kernels, the GPU
        // runtime the classes load by name for a GPU device, and ILGPU.
        var runtime = typeof(CompiledModel).Assembly.Location;
        var tensors = typeof(System.Numerics.Tensors.Tensor).Assembly.Location;
        var gpu = typeof(GpuRuntime).Assembly.Location;
        string[] gpuFiles = _models.Any(m => m.Code.Inference.Gpu is not null)
            ? [gpu, Path.ChangeExtension(gpu, ".xml"), typeof(ILGPU.Context).Assembly.Location, typeof(ILGPU.Algorithms.XMath).Assembly.Location]
            : [];
        var copied = new[] { runtime, Path.ChangeExtension(runtime, ".xml"), tensors }.Concat(gpuFiles).Where(File.Exists)
            .Select(file => (From: file, To: Path.Combine(directory, Path.GetFileName(file)))).ToArray();
        foreach (var (from, to) in copied)
        {
            File.Copy(from, to, overwrite: true);
        }
        return [assembly, Path.ChangeExtension(assembly, ".xml"), .. copied.Select(c => c.To)];
    }

    /// <summary>Writes the dependency file: every source the compilation read, on one line, separated by ';'.</summary>
    public static void WriteDependencies(string path, Compilation compilation)
    {
        var sources = compilation.Modules.Select(m => Path.GetFullPath(m.FullPath)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        AtomicFile.Write(path, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(string.Join(';', sources) + "\n")));
    }
}
