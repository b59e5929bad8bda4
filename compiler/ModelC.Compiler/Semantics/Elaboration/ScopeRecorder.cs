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
        var segment = parent.UniqueSegment(preferredName, kind);
        var path = parent.Path.Length == 0 ? segment : parent.Path + "." + segment;
        _open.Push(new Frame(path, kind, site));
    }

    /// <summary>Records a parameter owned by the innermost scope and returns its full name.</summary>
    public string AddParameter(string name)
    {
        var frame = _open.Peek();
        var full = frame.Path.Length == 0 ? name : frame.Path + "." + name;
        frame.Parameters.Add(full);
        return full;
    }

    /// <summary>Records a parameter of the innermost scope under a unique name of its own (<paramref name="preferredName"/>, or <c>{kind}_n</c>).</summary>
    public string AddNamedParameter(string? preferredName, string kind) => AddParameter(_open.Peek().UniqueSegment(preferredName, kind));

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
