using ModelC.Compiler.IR;

namespace ModelC.Compiler.Semantics.Values;

/// <summary>
/// The parameters of a shared module (<c>share(body)</c>): filled by its first application, read
/// by every later one, keyed by their names relative to the application's scope.
/// </summary>
public sealed class SharedParameters(string path)
{
    private readonly Dictionary<string, Node> _byName = new(StringComparer.Ordinal);

    /// <summary>The scope path the parameters are named under (<c>cell</c> gives <c>cell.weight</c>).</summary>
    public string Path { get; } = path;

    /// <summary>The relative names created so far, in creation order.</summary>
    public IReadOnlyCollection<string> Names => _byName.Keys;

    /// <summary>The parameter created under <paramref name="relativeName"/>, if any.</summary>
    public Node? Find(string relativeName) => _byName.GetValueOrDefault(relativeName);

    /// <summary>Records a parameter created by the first application.</summary>
    public void Add(string relativeName, Node parameter) => _byName.Add(relativeName, parameter);
}
