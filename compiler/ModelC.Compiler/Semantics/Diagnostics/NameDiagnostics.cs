using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Diagnostics;

/// <summary>Diagnostics about names, types and imports (codes MC2xxx).</summary>
public static class NameDiagnostics
{
    /// <summary>MC2001</summary>
    public static Diagnostic UnknownName(Location location, string name, string? suggestion) =>
        Diagnostic.Error("MC2001", $"unknown name '{name}'", location, suggestion is null ? null : $"did you mean '{suggestion}'?");

    /// <summary>MC2002</summary>
    public static Diagnostic DuplicateDeclaration(Location location, string name, Location first) =>
        Diagnostic.Error("MC2002", $"'{name}' is already declared in this file", location)
            .WithNote(new DiagnosticNote("first declared here", first));

    /// <summary>MC2003</summary>
    public static Diagnostic DuplicateParameter(Location location, string name) =>
        Diagnostic.Error("MC2003", $"parameter '{name}' is declared twice", location);

    /// <summary>MC2004</summary>
    public static Diagnostic AmbiguousName(Location location, string name, string first, string second) =>
        Diagnostic.Error("MC2004", $"'{name}' is declared in both {first} and {second}", location,
            "declare it in this file, or import only one of them");

    /// <summary>MC2005</summary>
    public static Diagnostic UnknownType(Location location, string name, string? suggestion = null) =>
        Diagnostic.Error("MC2005", $"unknown type '{name}'", location, suggestion is not null
            ? $"did you mean '{suggestion}'?"
            : "the types are int, float, bool, string, padding, block, tensor, batch, optimizer, schedule, and lists such as int[]");

    /// <summary>MC2006</summary>
    public static Diagnostic UnknownStandardModule(Location location, string name, IEnumerable<string> available) =>
        Diagnostic.Error("MC2006", $"cannot find module '{name}'", location,
            $"the standard library has {string.Join(", ", available)}");

    /// <summary>MC2007</summary>
    public static Diagnostic ImportNotFound(Location location, string path) =>
        Diagnostic.Error("MC2007", $"cannot find file '{path}'", location, "paths are relative to the importing file");

    /// <summary>MC2008</summary>
    public static Diagnostic ImportCycle(Location location, IEnumerable<string> chain) =>
        Diagnostic.Error("MC2008", $"import cycle: {string.Join(" -> ", chain)}", location);

    /// <summary>MC2009</summary>
    public static Diagnostic NotAStandardModule(Location location, string name) =>
        Diagnostic.Error("MC2009", $"'{name}' is not a standard-library module", location,
            $"import a local file by its path: import \"{name.Replace('.', '/')}.mdl\";");

    /// <summary>MC2010</summary>
    public static Diagnostic UnknownMember(Location location, string member, string typeName, string members) =>
        Diagnostic.Error("MC2010", $"{typeName} has no member '{member}'", location, $"members: {members}");

    /// <summary>MC2011</summary>
    public static Diagnostic ModelAsValue(Location location, string name) =>
        Diagnostic.Error("MC2011", $"model '{name}' cannot be used as a value", location);

    /// <summary>MC2012</summary>
    public static Diagnostic TypeTakesNoDimensions(Location location, string name) =>
        Diagnostic.Error("MC2012", $"type '{name}' cannot have dimensions", location,
            "tensor types are written f32[...] or i32[...]; lists are written int[]");

    /// <summary>MC2015</summary>
    public static Diagnostic TensorTypeParameter(Location location, string name) =>
        Diagnostic.Error("MC2015", $"'{name}[...]' types are for model inputs and outputs; a block's tensor parameters are written 'tensor'", location,
            "a block's shapes come from the tensors it is applied to");

    /// <summary>MC2016</summary>
    public static Diagnostic NoListType(Location location, string name) =>
        Diagnostic.Error("MC2016", $"there are no lists of '{name}'", location);

    /// <summary>MC2013</summary>
    public static Diagnostic ConstantCycle(Location location, string name) =>
        Diagnostic.Error("MC2013", $"constant '{name}' depends on itself", location);

    /// <summary>MC2014</summary>
    public static Diagnostic ImportUnreadable(Location location, string path, string reason) =>
        Diagnostic.Error("MC2014", $"cannot read '{path}': {reason.Replace(path, "", StringComparison.Ordinal).TrimEnd(' ', ':', '\'', '.')}", location);
}
