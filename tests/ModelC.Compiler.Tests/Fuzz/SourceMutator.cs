using System.Globalization;
using System.Numerics;
using System.Text;
using Antlr4.Runtime;
using ModelC.Grammar;

namespace ModelC.Compiler.Tests.Fuzz;

/// <summary>The kinds of mutation, with the weight each gets when one is drawn.</summary>
internal enum MutationKind
{
    /// <summary>Change an integer literal (the kind that reaches shape checking).</summary>
    TweakInteger,

    /// <summary>Change a float literal.</summary>
    TweakFloat,

    /// <summary>Remove one token.</summary>
    Delete,

    /// <summary>Repeat one token.</summary>
    Duplicate,

    /// <summary>Swap two neighbouring tokens.</summary>
    Swap,

    /// <summary>Replace a token with a word of the vocabulary.</summary>
    Replace,

    /// <summary>Insert a word of the vocabulary between two tokens.</summary>
    InsertToken,

    /// <summary>Insert printable or unprintable characters anywhere, inside tokens too.</summary>
    InsertCharacters,

    /// <summary>Cut the text at a random character.</summary>
    Truncate,
}

/// <summary>
/// Token-level mutations of a source text. Each mutation re-lexes the current text with the
/// language's lexer, changes it and renders it back, keeping the whitespace and comments.
/// </summary>
internal static class SourceMutator
{
    private static readonly (MutationKind Kind, int Weight)[] Weights =
    [
        (MutationKind.TweakInteger, 40),
        (MutationKind.TweakFloat, 4),
        (MutationKind.Delete, 10),
        (MutationKind.Duplicate, 6),
        (MutationKind.Swap, 7),
        (MutationKind.Replace, 13),
        (MutationKind.InsertToken, 6),
        (MutationKind.InsertCharacters, 9),
        (MutationKind.Truncate, 5),
    ];

    private static readonly int TotalWeight = Weights.Sum(w => w.Weight);

    // Characters for insertion: structure, quotes, escapes, controls, NUL, non-ASCII, a BOM,
    // lone surrogates and a surrogate pair.
    private static readonly string[] Characters =
    [
        "\0", "\u0001", "\u0007", "\b", "\t", "\n", "\r", "\r\n", "\v", "\f", "\u001b", "\u007f", "\u0085", "\u00a0",
        "\u2028", "\u2029", "\ufeff", "\ufffd", "\ufffe", "\uffff", "\ud800", "\udfff", "\udc00\ud800", "\ud83d\ude00",
        "é", "µ", "λ", "√", "∑", "中", "\"", "\\", "'", "`", "#", "$", "^", "~", "|", "&", "{", "}", "(", ")", "[", "]",
        ";", ",", ".", ":", "_", "0", "9", "e", "E", "/", "*", "-", "+", "\"\\", "/*", "*/", "//", "///", " ",
    ];

    /// <summary>
    /// Mutates a text and returns the new text with a line per mutation describing what was
    /// done. Half the cases change only numbers (one to three integer or float literals), so
    /// that they usually still compile and reach elaboration and shape checking; the other half
    /// apply one to four mutations of any kind.
    /// </summary>
    public static (string Text, IReadOnlyList<string> Log) Mutate(string text, FuzzRandom random)
    {
        var log = new List<string>();
        if (random.Chance(50))
        {
            var tweaks = random.Next(100) switch
            {
                < 60 => 1,
                < 85 => 2,
                _ => 3,
            };
            for (var i = 0; i < tweaks; i++)
            {
                text = MutateOnce(text, random.Chance(90) ? MutationKind.TweakInteger : MutationKind.TweakFloat, random, log);
            }
            return (text, log);
        }
        var count = random.Next(100) switch
        {
            < 55 => 1,
            < 80 => 2,
            < 93 => 3,
            _ => 4,
        };
        for (var i = 0; i < count; i++)
        {
            text = MutateOnce(text, DrawKind(random), random, log);
        }
        return (text, log);
    }

    /// <summary>Applies one mutation of the given kind (or of another kind when the text has nothing it applies to).</summary>
    public static string MutateOnce(string text, MutationKind kind, FuzzRandom random, List<string> log)
    {
        var tokens = FuzzCorpus.Lex(text);
        var significant = Enumerable.Range(0, tokens.Count).Where(i => tokens[i].Channel == Lexer.DefaultTokenChannel).ToList();
        if (significant.Count == 0 && kind is not (MutationKind.InsertCharacters or MutationKind.InsertToken))
        {
            kind = MutationKind.InsertToken;
        }
        switch (kind)
        {
            case MutationKind.TweakInteger:
            {
                var ints = significant.Where(i => tokens[i].Type == ModelCLexer.INT).ToList();
                if (ints.Count == 0)
                {
                    return MutateOnce(text, MutationKind.Replace, random, log);
                }
                var at = random.Pick(ints);
                var replacement = TweakInteger(tokens[at].Text, random);
                log.Add($"tweak integer {Where(tokens[at])}: {tokens[at].Text} -> {replacement}");
                return Render(tokens, at, replacement);
            }
            case MutationKind.TweakFloat:
            {
                var floats = significant.Where(i => tokens[i].Type == ModelCLexer.FLOAT).ToList();
                if (floats.Count == 0)
                {
                    return MutateOnce(text, MutationKind.TweakInteger, random, log);
                }
                var at = random.Pick(floats);
                var replacement = random.Pick(["0.0", "-1.0", "1e-300", "1e308", "1e400", "0.5", "2.0", "1_0.0_1", "0", "-0.0"]);
                log.Add($"tweak float {Where(tokens[at])}: {tokens[at].Text} -> {replacement}");
                return Render(tokens, at, replacement);
            }
            case MutationKind.Delete:
            {
                var at = random.Pick(significant);
                log.Add($"delete {Where(tokens[at])}: {tokens[at].Text}");
                return Render(tokens, at, "");
            }
            case MutationKind.Duplicate:
            {
                var at = random.Pick(significant);
                log.Add($"duplicate {Where(tokens[at])}: {tokens[at].Text}");
                return Render(tokens, at, tokens[at].Text + " " + tokens[at].Text);
            }
            case MutationKind.Swap:
            {
                if (significant.Count < 2)
                {
                    return MutateOnce(text, MutationKind.Delete, random, log);
                }
                var k = random.Next(significant.Count - 1);
                var (a, b) = (significant[k], significant[k + 1]);
                log.Add($"swap {Where(tokens[a])}: {tokens[a].Text} <-> {tokens[b].Text}");
                var texts = tokens.Select(t => t.Text).ToArray();
                (texts[a], texts[b]) = (texts[b], texts[a]);
                return string.Concat(texts);
            }
            case MutationKind.Replace:
            {
                var at = random.Pick(significant);
                var word = random.Pick(FuzzCorpus.Vocabulary);
                log.Add($"replace {Where(tokens[at])}: {tokens[at].Text} -> {word}");
                return Render(tokens, at, " " + word + " ");
            }
            case MutationKind.InsertToken:
            {
                var word = random.Pick(FuzzCorpus.Vocabulary);
                var offset = tokens.Count == 0 ? 0 : tokens[random.Next(tokens.Count)].StartIndex;
                log.Add($"insert token at offset {offset}: {word}");
                return text[..offset] + " " + word + " " + text[offset..];
            }
            case MutationKind.InsertCharacters:
            {
                var offset = random.Next(text.Length + 1);
                var inserted = string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Pick(Characters)));
                log.Add($"insert characters at offset {offset}: {Escape(inserted)}");
                return text[..offset] + inserted + text[offset..];
            }
            case MutationKind.Truncate:
            {
                var offset = random.Next(text.Length + 1);
                log.Add($"truncate at offset {offset}");
                return text[..offset];
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>A new integer literal for <paramref name="text"/>: near it, small, at a limit or out of range.</summary>
    public static string TweakInteger(string text, FuzzRandom random)
    {
        var value = BigInteger.Parse(text.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        // Near values and small ones keep most programs valid, so they reach shape checking; the
        // limits of int and long probe conversions. Medium-large values (thousands of layers)
        // are left out: they make valid but slow programs, not bugs.
        BigInteger result = random.Next(20) switch
        {
            0 => 0,
            1 => 1,
            2 => 2,
            3 => 3,
            4 => -1,
            5 or 6 => value + 1,
            7 or 8 => value - 1,
            9 => value * 2,
            10 => value / 2,
            11 => -value,
            12 => random.Next(1, 9),
            13 => 1 << random.Next(4, 11),
            14 => 2147483647,
            15 => 2147483648,
            16 => 4294967296,
            17 => long.MaxValue,
            18 => (BigInteger)long.MaxValue + 1,
            _ => random.Next(5, 100),
        };
        return result.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Shows control and non-ASCII characters as escapes, for logs.</summary>
    public static string Escape(string text)
    {
        var result = new StringBuilder();
        foreach (var c in text)
        {
            result.Append(c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}");
        }
        return result.ToString();
    }

    private static MutationKind DrawKind(FuzzRandom random)
    {
        var pick = random.Next(TotalWeight);
        foreach (var (kind, weight) in Weights)
        {
            if (pick < weight)
            {
                return kind;
            }
            pick -= weight;
        }
        return MutationKind.TweakInteger;
    }

    private static string Where(IToken token) => $"{token.Line}:{token.Column + 1}";

    private static string Render(IList<IToken> tokens, int index, string replacement)
    {
        var text = new StringBuilder();
        for (var i = 0; i < tokens.Count; i++)
        {
            text.Append(i == index ? replacement : tokens[i].Text);
        }
        return text.ToString();
    }
}
