using Antlr4.Runtime;
using ModelC.Grammar;

namespace ModelC.Compiler.Tests.Fuzz;

/// <summary>One file the fuzzer mutates.</summary>
/// <param name="Name">Repository-relative path, e.g. <c>examples/mlp/mlp.mdl</c>.</param>
/// <param name="Text">The file's text.</param>
/// <param name="StandardModule">For a stdlib file, its module name (<c>nn</c>); null for an example.</param>
/// <param name="Hosts">For a stdlib file, the examples that import it (they elaborate the mutated module).</param>
internal sealed record FuzzSeed(string Name, string Text, string? StandardModule, IReadOnlyList<FuzzSeed> Hosts)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// The fuzzer's inputs: every example and stdlib file of the repository, and the vocabulary
/// that replacements and insertions draw from.
/// </summary>
internal static class FuzzCorpus
{
    private static readonly Lazy<IReadOnlyList<FuzzSeed>> LazySeeds = new(LoadSeeds);
    private static readonly Lazy<IReadOnlyList<string>> LazyVocabulary = new(BuildVocabulary);

    /// <summary>The seeds: examples first, then stdlib files, each in ordinal order of path.</summary>
    public static IReadOnlyList<FuzzSeed> Seeds => LazySeeds.Value;

    /// <summary>Keywords, operators, every identifier of the corpus, numbers and strings.</summary>
    public static IReadOnlyList<string> Vocabulary => LazyVocabulary.Value;

    /// <summary>Numbers that matter: zero, signs, the int32 and int64 limits, out-of-range values.</summary>
    public static IReadOnlyList<string> Numbers { get; } =
    [
        "0", "-1", "1", "2", "3", "4", "0.5", "1.0", "-0.5", "2147483647", "2147483648", "4294967296",
        "9223372036854775807", "9223372036854775808", "1e400", "1e-400", "1_000", "0.0", ".5", "1e3",
    ];

    /// <summary>Finds a seed by its repository-relative path.</summary>
    public static FuzzSeed Get(string name) => Seeds.Single(s => s.Name == name);

    /// <summary>Tokenises a text with the language's own lexer (every channel, so the text can be rebuilt).</summary>
    public static IList<IToken> Lex(string text)
    {
        var lexer = new ModelCLexer(new AntlrInputStream(text));
        lexer.RemoveErrorListeners();
        var tokens = lexer.GetAllTokens();
        return tokens;
    }

    private static List<FuzzSeed> LoadSeeds()
    {
        var root = RepositoryPaths.Root;
        string Relative(string file) => Path.GetRelativePath(root, file).Replace('\\', '/');
        var examples = Directory.GetFiles(Path.Combine(root, "examples"), "*.mdl", SearchOption.AllDirectories)
            .Select(f => new FuzzSeed(Relative(f), File.ReadAllText(f), null, []))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var stdlib = Directory.GetFiles(Path.Combine(root, "stdlib"), "*.mdl")
            .Select(f =>
            {
                var module = Path.GetFileNameWithoutExtension(f);
                var hosts = examples.Where(e => e.Text.Contains($"import std.{module};", StringComparison.Ordinal)).ToList();
                return new FuzzSeed(Relative(f), File.ReadAllText(f), module, hosts);
            })
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        return [.. examples, .. stdlib];
    }

    private static List<string> BuildVocabulary()
    {
        var words = new SortedSet<string>(StringComparer.Ordinal);
        // Keywords and operators: the lexer's literal names, without their quotes.
        for (var type = 1; type <= ModelCLexer.UNKNOWN_CHAR; type++)
        {
            if (ModelCLexer.DefaultVocabulary.GetLiteralName(type) is { Length: > 2 } literal)
            {
                words.Add(literal[1..^1]);
            }
        }
        foreach (var seed in Seeds)
        {
            foreach (var token in Lex(seed.Text).Where(t => t.Type == ModelCLexer.IDENT))
            {
                words.Add(token.Text);
            }
        }
        words.UnionWith(Numbers);
        words.UnionWith(["\"\"", "\"x\"", "\"a\\tb\\\"c\"", "\"\\q\"", "\"std.nn\"", "///", "/*", "*/", "//"]);
        return [.. words];
    }
}
