using System.Collections.Immutable;
using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Syntax;
using ModelC.Compiler.Text;
using ModelC.Runtime.Files;

namespace ModelC.Compiler.Semantics.Symbols;

/// <summary>
/// Loads a file and, transitively, everything it imports: <c>import std.nn;</c> from the
/// standard library, <c>import "path.mdl";</c> relative to the importing file. Each file is
/// parsed once; import cycles are reported at the import that closes them.
/// </summary>
internal sealed class ModuleLoader(string standardLibrary, DiagnosticBag diagnostics)
{
    private const string StandardPrefix = "std";
    private readonly Dictionary<string, SourceModule> _modules = new(StringComparer.Ordinal);
    private readonly HashSet<SourceModule> _done = [];
    private readonly List<SourceModule> _visiting = [];
    private string _rootFolder = "";

    /// <summary>Every module loaded so far, in load order.</summary>
    public IEnumerable<SourceModule> Modules => _modules.Values;

    /// <summary>Loads the root file from text and resolves its imports.</summary>
    public SourceModule LoadRoot(SourceText text)
    {
        var fullPath = Path.GetFullPath(text.Path);
        _rootFolder = Path.GetDirectoryName(fullPath) ?? "";
        var root = Add(text, fullPath, null);
        Resolve(root);
        return root;
    }

    private SourceModule Add(SourceText text, string fullPath, string? standardName)
    {
        var module = new SourceModule(Parser.Parse(text), fullPath, standardName)
        {
            DisplayName = Path.GetRelativePath(_rootFolder, fullPath),
        };
        diagnostics.AddRange(module.Tree.Diagnostics);
        // A file with syntax errors reports only those: its recovered tree would mislead.
        if (module.Tree.IsValid)
        {
            DeclarationBinder.Bind(module, diagnostics);
        }
        _modules[fullPath] = module;
        return module;
    }

    private void Resolve(SourceModule module)
    {
        _visiting.Add(module);
        var imports = new List<SourceModule>();
        foreach (var import in module.Tree.Root.Imports)
        {
            var at = module.Tree.GetLocation(import.TargetSpan);
            var target = Find(module, import, at);
            if (target is null || !target.Tree.IsValid)
            {
                module.HasBrokenImports = true;
            }
            if (target is null)
            {
                continue;
            }
            var cycleStart = _visiting.IndexOf(target);
            if (cycleStart >= 0)
            {
                var chain = _visiting.Skip(cycleStart).Append(target).Select(m => m.ToString());
                diagnostics.Add(NameDiagnostics.ImportCycle(at, chain));
                continue;
            }
            if (!_done.Contains(target))
            {
                Resolve(target);
            }
            if (!imports.Contains(target))
            {
                imports.Add(target);
            }
        }
        module.Imports = [.. imports];
        _visiting.RemoveAt(_visiting.Count - 1);
        _done.Add(module);
    }

    private SourceModule? Find(SourceModule importer, ImportSyntax import, Location at)
    {
        string fullPath, displayPath;
        string? standardName = null;
        switch (import)
        {
            case ModuleImportSyntax named when named.Parts.Length == 2 && named.Parts[0].Name == StandardPrefix:
                standardName = named.DottedName;
                fullPath = Path.GetFullPath(Path.Combine(standardLibrary, named.Parts[1].Name + ".mdl"));
                displayPath = fullPath;
                if (!File.Exists(fullPath))
                {
                    diagnostics.Add(NameDiagnostics.UnknownStandardModule(at, named.DottedName, AvailableStandardModules()));
                    return null;
                }
                break;
            case ModuleImportSyntax named:
                diagnostics.Add(NameDiagnostics.NotAStandardModule(at, named.DottedName));
                return null;
            case PathImportSyntax file when file.Path.Contains('\0', StringComparison.Ordinal):
                // No file system accepts NUL in a name, and .NET path APIs throw on it.
                diagnostics.Add(NameDiagnostics.ImportNotFound(at, file.Path));
                return null;
            case PathImportSyntax file:
                fullPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(importer.FullPath) ?? ".", file.Path));
                displayPath = Path.Combine(Path.GetDirectoryName(importer.Tree.Source.Path) ?? "", file.Path);
                if (!File.Exists(fullPath))
                {
                    diagnostics.Add(NameDiagnostics.ImportNotFound(at, file.Path));
                    return null;
                }
                // A device or FIFO would be read forever or block: refused by type before opening.
                if (RegularFile.Problem(fullPath) is { } problem)
                {
                    diagnostics.Add(NameDiagnostics.ImportUnreadable(at, displayPath, problem));
                    return null;
                }
                break;
            default:
                return null;
        }
        if (_modules.TryGetValue(fullPath, out var loaded))
        {
            return loaded;
        }
        try
        {
            return Add(new SourceText(displayPath, File.ReadAllText(fullPath)), fullPath, standardName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(NameDiagnostics.ImportUnreadable(at, displayPath, e.Message));
            return null;
        }
    }

    private ImmutableArray<string> AvailableStandardModules() =>
        Directory.Exists(standardLibrary)
            ? [.. Directory.GetFiles(standardLibrary, "*.mdl").Select(f => $"{StandardPrefix}.{Path.GetFileNameWithoutExtension(f)}").Order(StringComparer.Ordinal)]
            : [];
}
