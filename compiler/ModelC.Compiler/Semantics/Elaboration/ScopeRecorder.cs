using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>
/// Names applications as they happen (<c>linear_0</c>, <c>linear_1</c>, or the <c>let</c> name
/// they are bound to) and records the scope tree.
/// </summary>
internal sealed class ScopeRecorder
{
    private readonly Stack<Frame> _open = new();

    public ScopeRecorder() => _open.Push(new Frame("", "model", null));

    /// <summary>The path of the innermost open scope ("" at the top).</summary>
    public string CurrentPath => _open.Peek().Path;

    /// <summary>Opens a child scope named <c>{kind}_{n}</c>, or <paramref name="preferredName"/> when given.</summary>
    public void Open(string kind, string? preferredName, Location? site)
    {
        var parent = _open.Peek();
        _open.Push(new Frame(Join(parent.Path, parent.UniqueSegment(preferredName, kind)), kind, site));
    }

    /// <summary>The full name of <paramref name="name"/> in the innermost scope.</summary>
    public string PathOf(string name) => Join(_open.Peek().Path, name);

    /// <summary>
    /// The full name of a child of the innermost scope under a unique name of its own
    /// (<paramref name="preferredName"/>, or <c>{kind}_n</c>), reserved so that no later scope takes it.
    /// </summary>
    public string ReservePath(string? preferredName, string kind) => PathOf(_open.Peek().UniqueSegment(preferredName, kind));

    /// <summary>Records a parameter as owned by the innermost scope.</summary>
    public void RecordParameter(string fullName) => _open.Peek().Parameters.Add(fullName);

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    /// <summary>Closes the innermost scope, recording its output type.</summary>
    public void Close(TensorType? output)
    {
        var frame = _open.Pop();
        _open.Peek().Children.Add(frame.ToInfo(output));
    }

    /// <summary>The finished tree (call once every scope is closed).</summary>
    public ScopeInfo Build(TensorType? output = null) => _open.Peek().ToInfo(output);

    private sealed class Frame(string path, string kind, Location? site)
    {
        private readonly Dictionary<string, int> _counters = [];
        private readonly HashSet<string> _used = [];

        public string Path { get; } = path;

        public List<string> Parameters { get; } = [];

        public List<ScopeInfo> Children { get; } = [];

        public string UniqueSegment(string? preferred, string kind)
        {
            if (preferred is not null && _used.Add(preferred))
            {
                return preferred;
            }
            var stem = preferred ?? kind;
            string segment;
            do
            {
                _counters.TryGetValue(stem, out var n);
                _counters[stem] = n + 1;
                segment = preferred is null ? $"{stem}_{n}" : $"{stem}_{n + 1}";
            }
            while (!_used.Add(segment));
            return segment;
        }

        public ScopeInfo ToInfo(TensorType? output) =>
            new(Path, kind, site, output, [.. Parameters], [.. Children]);
    }
}
