using System.Globalization;
using System.Text;

namespace ModelC.Data.Formats;

/// <summary>
/// Parses the Python literal an .npy header holds, e.g.
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>: dicts, tuples, lists,
/// quoted strings, integers, True, False and None. Numpy reads it with ast.literal_eval; this is
/// the subset numpy writes, and anything else is refused rather than guessed at.
/// </summary>
internal sealed class PythonLiteral
{
    /// <summary>
    /// The deepest nesting of dicts, tuples and lists taken. Numpy's headers nest two deep; the
    /// limit keeps the recursive descent far from the end of the stack whatever a file holds.
    /// </summary>
    public const int MaxDepth = 32;

    private readonly string _text;
    private int _pos;
    private int _depth;

    private PythonLiteral(string text) => _text = text;

    /// <summary>
    /// The value of <paramref name="text"/>: a <c>Dictionary&lt;string, object?&gt;</c>, a
    /// <c>List&lt;object?&gt;</c> (a list), an <c>object?[]</c> (a tuple), a string, a long, a bool or null.
    /// </summary>
    /// <exception cref="FormatException">The text is not such a literal.</exception>
    public static object? Parse(string text)
    {
        var parser = new PythonLiteral(text);
        var value = parser.Value();
        parser.SkipSpace();
        if (parser._pos != text.Length)
        {
            throw parser.Error("unexpected text after the value");
        }
        return value;
    }

    private object? Value()
    {
        SkipSpace();
        if (_pos >= _text.Length)
        {
            throw Error("unexpected end");
        }
        var c = _text[_pos];
        switch (c)
        {
            case '{':
                return Nested(Dict);
            case '(':
                return Nested(() => Sequence(')').ToArray());
            case '[':
                return Nested(() => Sequence(']'));
            case '\'' or '"':
                return Str();
        }
        if (c == '-' || c == '+' || char.IsAsciiDigit(c))
        {
            return Integer();
        }
        var start = _pos;
        while (_pos < _text.Length && char.IsAsciiLetter(_text[_pos]))
        {
            _pos++;
        }
        return _text[start.._pos] switch
        {
            "True" => true,
            "False" => false,
            "None" => null,
            _ => throw Error($"unexpected '{c}'", start),
        };
    }

    private object Nested(Func<object> container)
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"nested more than {MaxDepth} deep");
        }
        var value = container();
        _depth--;
        return value;
    }

    private Dictionary<string, object?> Dict()
    {
        _pos++; // {
        var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            SkipSpace();
            if (Peek() == '}')
            {
                _pos++;
                return dict;
            }
            var keyAt = _pos;
            if (Value() is not string key)
            {
                throw Error("a key is not a string", keyAt);
            }
            SkipSpace();
            Expect(':');
            if (!dict.TryAdd(key, Value()))
            {
                throw Error($"key '{key}' appears twice", keyAt);
            }
            if (!Separator('}'))
            {
                throw Error("expected ',' or '}'");
            }
        }
    }

    private List<object?> Sequence(char close)
    {
        _pos++; // ( or [
        var items = new List<object?>();
        while (true)
        {
            SkipSpace();
            if (Peek() == close)
            {
                _pos++;
                return items;
            }
            items.Add(Value());
            if (!Separator(close))
            {
                throw Error($"expected ',' or '{close}'");
            }
        }
    }

    /// <summary>After an item: a comma, or the closing bracket (left for the caller to consume).</summary>
    private bool Separator(char close)
    {
        SkipSpace();
        if (Peek() == ',')
        {
            _pos++;
            return true;
        }
        return Peek() == close;
    }

    private string Str()
    {
        var quote = _text[_pos++];
        var text = new StringBuilder();
        while (_pos < _text.Length && _text[_pos] != quote)
        {
            if (_text[_pos] == '\\' && _pos + 1 < _text.Length)
            {
                _pos++;
            }
            text.Append(_text[_pos++]);
        }
        if (_pos >= _text.Length)
        {
            throw Error("unterminated string");
        }
        _pos++;
        return text.ToString();
    }

    private long Integer()
    {
        var start = _pos;
        if (_text[_pos] is '-' or '+')
        {
            _pos++;
        }
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
        {
            _pos++;
        }
        var digits = _text[start.._pos];
        // Python 2 wrote long integers with an L suffix, and numpy of that era put them in shapes.
        if (Peek() == 'L')
        {
            _pos++;
        }
        if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error($"'{digits}' is not an integer this reader takes", start);
        }
        return value;
    }

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Error($"expected '{c}'");
        }
        _pos++;
    }

    private char? Peek() => _pos < _text.Length ? _text[_pos] : null;

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private FormatException Error(string what, int? at = null) => new($"{what} at character {(at ?? _pos) + 1}");
}
