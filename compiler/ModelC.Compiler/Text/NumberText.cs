using System.Globalization;

namespace ModelC.Compiler.Text;

/// <summary>How the compiler prints numbers: round-trippable and culture-independent.</summary>
public static class NumberText
{
    /// <summary>The shortest text that reads back as the same double, with a lowercase exponent (<c>1e-8</c>).</summary>
    public static string Format(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return text;
        }
        var exponent = int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture);
        return $"{text[..e]}e{exponent.ToString(CultureInfo.InvariantCulture)}";
    }
}
