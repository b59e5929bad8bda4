using System.Text;

namespace ModelC.Gpu.Codegen;

/// <summary>C# source text with indentation, and fresh names for the temporaries generated code declares.</summary>
internal sealed class SourceBuilder
{
    private readonly StringBuilder _text = new();
    private int _indent;
    private int _temporaries;

    /// <summary>Writes one line at the current indentation.</summary>
    public void Line(string line) => _text.Append(' ', _indent * 4).Append(line).Append('\n');

    /// <summary>Writes <paramref name="header"/>, then <paramref name="body"/> in braces one level deeper.</summary>
    public void Block(string header, Action body)
    {
        Line(header);
        Line("{");
        _indent++;
        body();
        _indent--;
        Line("}");
    }

    /// <summary>A name no other temporary of this source has.</summary>
    public string Temporary(string prefix = "t") => $"{prefix}{_temporaries++}";

    /// <inheritdoc/>
    public override string ToString() => _text.ToString();
}
