using System.Globalization;
using System.Text;

namespace ModelC.Compiler.Syntax;

/// <summary>
/// The source text of literals, chosen so that the lexer reads back exactly the value written:
/// integers in decimal, floats in their shortest round-trip form with a <c>.</c> or an exponent
/// (so they stay floats), strings with the grammar's escapes.
/// </summary>
internal static class LiteralText
{
    /// <summary>An integer. A negative one is a negation (literals have no sign); <see cref="long.MinValue"/>, whose magnitude is no literal, is written as a difference.</summary>
    public static string Integer(long value) => value switch
    {
        long.MinValue => "-9223372036854775807 - 1",
        < 0 => "-" + (-value).ToString(CultureInfo.InvariantCulture),
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// A float: <c>0.5</c>, <c>2.0</c>, <c>1e-3</c>, <c>-0.0</c>. The digits are the shortest that
    /// read back as the value; a fraction is written with an exponent when that is shorter
    /// (<c>1e-3</c>, not <c>0.001</c>), as are numbers from 10¹⁵ up.
    /// </summary>
    /// <exception cref="ArgumentException">The value is infinite or NaN, which no literal denotes.</exception>
    public static string Float(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"the float {value.ToString(CultureInfo.InvariantCulture)} cannot be written as a literal", nameof(value));
        }
        var (digits, exponent) = ShortestDigits(Math.Abs(value));
        var positional = exponent >= 0
            ? digits.PadRight(exponent + 1, '0').Insert(exponent + 1, ".").PadRight(exponent + 3, '0')
            : "0." + new string('0', -exponent - 1) + digits;
        var scientific = (digits.Length == 1 ? digits : digits.Insert(1, ".")) + "e" + exponent.ToString(CultureInfo.InvariantCulture);
        var magnitude = (exponent < 0 || exponent >= 15) && scientific.Length < positional.Length ? scientific : positional;
        return double.IsNegative(value) ? "-" + magnitude : magnitude;
    }

    // The shortest decimal digits d₀d₁… (no leading or trailing zeros, "0" for zero) and the
    // exponent e with value = d₀.d₁… × 10^e.
    private static (string Digits, int Exponent) ShortestDigits(double magnitude)
    {
        var text = magnitude.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        var exponent = e < 0 ? 0 : int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? text : text[..e];
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? mantissa : mantissa[..point];
        var all = (whole + (point < 0 ? "" : mantissa[(point + 1)..])).TrimStart('0');
        var leadingZeros = whole.Length + (point < 0 ? 0 : mantissa.Length - point - 1) - all.Length;
        exponent += whole.Length - 1 - leadingZeros;
        var digits = all.TrimEnd('0');
        return digits.Length == 0 ? ("0", 0) : (digits, exponent);
    }

    /// <summary>True when the literal's text starts with a minus sign, so it binds like a prefix operator.</summary>
    public static bool IsNegative(ExpressionSyntax literal) => literal switch
    {
        IntLiteralSyntax i => i.Value < 0,
        FloatLiteralSyntax f => double.IsNegative(f.Value),
        _ => false,
    };

    /// <summary>A string in double quotes with <c>\"</c>, <c>\\</c>, <c>\n</c>, <c>\t</c> and <c>\r</c> escaped.</summary>
    public static string String(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\t': text.Append("\\t"); break;
                case '\r': text.Append("\\r"); break;
                default: text.Append(c); break;
            }
        }
        return text.Append('"').ToString();
    }
}
