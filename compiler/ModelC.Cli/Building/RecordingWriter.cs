using System.Text;

namespace ModelC.Cli.Building;

/// <summary>A writer that passes everything to <paramref name="inner"/> and keeps a copy in <paramref name="copy"/>.</summary>
internal sealed class RecordingWriter(TextWriter inner, StringBuilder copy) : TextWriter(inner.FormatProvider)
{
    /// <inheritdoc/>
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc/>
    public override void Write(char value)
    {
        inner.Write(value);
        copy.Append(value);
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        inner.Write(value);
        copy.Append(value);
    }

    /// <inheritdoc/>
    public override void Write(char[] buffer, int index, int count)
    {
        inner.Write(buffer, index, count);
        copy.Append(buffer, index, count);
    }

    /// <inheritdoc/>
    public override void Flush() => inner.Flush();
}
