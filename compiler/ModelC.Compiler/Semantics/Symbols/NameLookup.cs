using ModelC.Compiler.Semantics.Builtins;

namespace ModelC.Compiler.Semantics.Symbols;

/// <summary>What a name refers to outside the local bindings.</summary>
internal abstract record LookupResult
{
    /// <summary>A declaration of this file or of an imported one.</summary>
    public sealed record Declaration(DeclarationSymbol Symbol) : LookupResult;

    /// <summary>A built-in.</summary>
    public sealed record BuiltinEntry(object Entry) : LookupResult;

    /// <summary>Declared in two imported files.</summary>
    public sealed record Ambiguous(DeclarationSymbol First, DeclarationSymbol Second) : LookupResult;

    /// <summary>Nothing by that name.</summary>
    public sealed record NotFound : LookupResult;
}

/// <summary>Resolves names at file level: the file's own declarations, then its imports, then built-ins.</summary>
internal static class NameLookup
{
    public static LookupResult Lookup(SourceModule module, string name)
    {
        if (module.Declarations.TryGetValue(name, out var own))
        {
            return new LookupResult.Declaration(own);
        }
        var imported = module.Imports
            .Select(i => i.Declarations.GetValueOrDefault(name))
            .OfType<DeclarationSymbol>()
            .Distinct()
            .ToList();
        if (imported.Count > 1)
        {
            return new LookupResult.Ambiguous(imported[0], imported[1]);
        }
        if (imported.Count == 1)
        {
            return new LookupResult.Declaration(imported[0]);
        }
        return BuiltinRegistry.TryGet(name) is { } entry ? new LookupResult.BuiltinEntry(entry) : new LookupResult.NotFound();
    }

    /// <summary>Every name visible at file level, for "did you mean" suggestions.</summary>
    public static IEnumerable<string> VisibleNames(SourceModule module) =>
        module.Declarations.Keys
            .Concat(module.Imports.SelectMany(i => i.Declarations.Keys))
            .Concat(BuiltinRegistry.Names);
}
