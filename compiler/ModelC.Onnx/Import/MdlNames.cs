using System.Text;

namespace ModelC.Onnx.Import;

/// <summary>Turns ONNX value names into distinct .mdl identifiers that hide no keyword or built-in.</summary>
internal sealed class MdlNames
{
    private static readonly HashSet<string> Keywords =
        ["import", "block", "model", "const", "let", "return", "if", "else", "input", "output", "loss", "optimizer", "assert", "branch", "merge", "route", "true", "false"];

    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>
    /// A fresh identifier close to <paramref name="wanted"/>: other characters become '_', a
    /// leading digit gets <c>layer_</c> before it; unless <paramref name="plain"/> (an input's or
    /// output's own name), a word without '_' gets one after it, as it could be a built-in's name.
    /// </summary>
    public string Fresh(string wanted, bool plain = false)
    {
        var text = new StringBuilder();
        foreach (var c in wanted.Trim('/', '.', ':'))
        {
            text.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }
        var name = text.Length == 0 || char.IsAsciiDigit(text[0]) ? "layer_" + text : text.ToString();
        if (Keywords.Contains(name) || (!plain && !name.Contains('_', StringComparison.Ordinal)))
        {
            // A plain word could be a built-in's name (relu, conv…); a suffix keeps it visible.
            name += "_";
        }
        var candidate = name;
        for (var i = 1; !_used.Add(candidate); i++)
        {
            candidate = $"{name}{i}";
        }
        return candidate;
    }
}
