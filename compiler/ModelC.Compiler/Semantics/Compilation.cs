using System.Collections.Immutable;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Semantics.Symbols;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Text;
using ModelC.Runtime.Files;

namespace ModelC.Compiler.Semantics;

/// <summary>
/// The entry point of the compiler's front end. Loading a file parses it and everything it
/// imports, binds declarations and checks names (<see cref="Diagnostics"/>); elaborating a
/// model instantiates it into an IR graph with every shape checked.
/// </summary>
public sealed class Compilation
{
    private Compilation(SourceModule root, ImmutableArray<SourceModule> modules, ImmutableArray<Diagnostic> diagnostics, CompilationOptions options)
    {
        Root = root;
        Modules = modules;
        Diagnostics = diagnostics;
        Options = options;
    }

    /// <summary>The file compiled.</summary>
    public SourceModule Root { get; }

    /// <summary>Every file loaded: the root and its imports.</summary>
    public ImmutableArray<SourceModule> Modules { get; }

    /// <summary>Diagnostics of parsing, imports, declarations and names, sorted by position.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>The options in effect.</summary>
    public CompilationOptions Options { get; }

    /// <summary>True when any of <see cref="Diagnostics"/> is an error; models cannot be elaborated then.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>The models declared in the root file, in source order.</summary>
    public ImmutableArray<ModelSymbol> Models => [.. Root.Models];

    /// <summary>Reads and compiles a file. Throws <see cref="IOException"/> if the file cannot be read or is not a regular file (a device or FIFO).</summary>
    public static Compilation Load(string path, CompilationOptions? options = null)
    {
        // /dev/zero would be read until memory runs out, and a FIFO blocks: refused by type.
        if (RegularFile.Problem(path) is { } problem)
        {
            throw new IOException(problem);
        }
        return FromSource(path, File.ReadAllText(path), options);
    }

    /// <summary>Compiles source text as if it were the file at <paramref name="path"/> (imports resolve from its folder).</summary>
    public static Compilation FromSource(string path, string text, CompilationOptions? options = null) =>
        LargeStack.Run(() => Create(path, text, options ?? new CompilationOptions()));

    // On a big stack: name checking recurses once per nesting level of the source.
    private static Compilation Create(string path, string text, CompilationOptions options)
    {
        var bag = new DiagnosticBag();
        var loader = new ModuleLoader(options.StandardLibrary, bag);
        var root = loader.LoadRoot(new SourceText(path, text));
        var modules = loader.Modules.ToImmutableArray();
        foreach (var module in modules.Where(m => m.Tree.IsValid))
        {
            NameChecker.Check(module, bag);
        }
        if (!bag.HasErrors)
        {
            CheckConstants(modules, options, bag);
        }
        return new Compilation(root, modules, bag.ToSortedArray(), options);
    }

    // Constants do not depend on any model, so their errors are reported once, here, even when
    // nothing uses them.
    private static void CheckConstants(ImmutableArray<SourceModule> modules, CompilationOptions options, DiagnosticBag bag)
    {
        var context = new ElaborationContext(options, "constants", ExecutionMode.Inference);
        // In source order: which constant of a cycle is reported must not depend on hashing.
        foreach (var constant in modules.SelectMany(m => m.Declarations.Values.OfType<ConstSymbol>().OrderBy(c => c.Syntax.Span.Start)))
        {
            context.Constants.Get(constant, context);
        }
        bag.AddRange(context.Diagnostics.ToSortedArray());
    }

    /// <summary>Finds a model of the root file by name.</summary>
    public ModelSymbol? FindModel(string name) => Models.FirstOrDefault(m => m.Name == name);

    /// <summary>
    /// Instantiates a model into the IR graph of one execution mode. <paramref name="arguments"/>
    /// override the model's parameters. Throws when the compilation itself has errors.
    /// </summary>
    public ElaborationResult Elaborate(ModelSymbol model, ExecutionMode mode, IReadOnlyDictionary<string, Value>? arguments = null)
    {
        if (HasErrors)
        {
            throw new InvalidOperationException("cannot elaborate a compilation with errors");
        }
        var given = arguments ?? ImmutableDictionary<string, Value>.Empty;
        return LargeStack.Run(() => ModelElaborator.Elaborate(model, mode, given, Options));
    }
}
