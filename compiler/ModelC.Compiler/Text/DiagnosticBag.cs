using System.Collections.Immutable;

namespace ModelC.Compiler.Text;

/// <summary>Collects diagnostics in the order they were found; phases report into one.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    /// <summary>True once any error has been reported.</summary>
    public bool HasErrors { get; private set; }

    /// <summary>The number of diagnostics so far.</summary>
    public int Count => _items.Count;

    /// <summary>Adds a diagnostic.</summary>
    public void Add(Diagnostic diagnostic)
    {
        _items.Add(diagnostic);
        HasErrors |= diagnostic.IsError;
    }

    /// <summary>Adds several diagnostics.</summary>
    public void AddRange(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            Add(diagnostic);
        }
    }

    /// <summary>The diagnostics sorted by file, position and then report order.</summary>
    public ImmutableArray<Diagnostic> ToSortedArray() =>
        [.. _items.Select((d, i) => (d, i))
            .OrderBy(p => p.d.Location.Source.Path, StringComparer.Ordinal)
            .ThenBy(p => p.d.Location.Span.Start)
            .ThenBy(p => p.i)
            .Select(p => p.d)];
}
