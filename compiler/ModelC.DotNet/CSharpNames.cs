using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;

namespace ModelC.DotNet;

/// <summary>
/// Turns ModelC names (<c>logits.linear_0.weight</c>, <c>poisson_deep</c>) into C# identifiers,
/// and keeps the identifiers of one scope distinct.
/// </summary>
internal sealed class CSharpNames
{
    private static readonly Regex NonWord = new("[^A-Za-z0-9]+", RegexOptions.CultureInvariant);

    private readonly HashSet<string> _taken;

    /// <summary>A scope where <paramref name="reserved"/> are already in use.</summary>
    public CSharpNames(IEnumerable<string> reserved) => _taken = new HashSet<string>(reserved, StringComparer.Ordinal);

    /// <summary><paramref name="name"/> in PascalCase, made unique in this scope.</summary>
    public string Pascal(string name) => Claim(Words(name, upperFirst: true));

    /// <summary><paramref name="name"/> in camelCase, made unique in this scope (keywords get an <c>@</c>).</summary>
    public string Camel(string name) => Claim(Words(name, upperFirst: false));

    /// <summary><paramref name="name"/> in PascalCase, without a scope (for type and file names).</summary>
    public static string PascalCase(string name) => Words(name, upperFirst: true);

    private string Claim(string identifier)
    {
        var candidate = identifier;
        for (var i = 2; !_taken.Add(candidate.TrimStart('@')); i++)
        {
            candidate = identifier.TrimStart('@') + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return candidate;
    }

    // Words are runs of letters and digits; each after the first starts upper-case.
    private static string Words(string name, bool upperFirst)
    {
        var text = new StringBuilder();
        foreach (var word in NonWord.Split(name).Where(w => w.Length > 0))
        {
            var first = text.Length == 0 && !upperFirst ? char.ToLowerInvariant(word[0]) : char.ToUpperInvariant(word[0]);
            text.Append(first).Append(word, 1, word.Length - 1);
        }
        if (text.Length == 0 || char.IsAsciiDigit(text[0]))
        {
            text.Insert(0, upperFirst ? 'M' : 'm');
        }
        var identifier = text.ToString();
        return SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(identifier) != SyntaxKind.None
            ? "@" + identifier
            : identifier;
    }
}
