using System.Text.RegularExpressions;

namespace ModelC.Cli.Tests;

/// <summary>
/// The README's tour runs as written: every <c>modelc</c> command names a real command and real
/// files, the quick ones succeed, and the error it shows is the one <c>modelc check</c> prints.
/// </summary>
public sealed partial class ReadmeTests
{
    private static readonly string[] Commands = ["check", "ir", "summary", "graph", "build", "run", "train", "builtins", "export", "import"];

    // The `modelc …` lines of the README's sh blocks, without their comments.
    private static IEnumerable<string[]> TourCommands() =>
        ShBlock().Matches(File.ReadAllText(RepositoryPaths.Get("README.md")))
            .SelectMany(m => m.Groups[1].Value.Split('\n'))
            .Where(l => l.StartsWith("modelc ", StringComparison.Ordinal))
            .Select(l => l.Split('#')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]);

    [Fact]
    public void EveryTourCommandNamesACommandAndFilesThatExist()
    {
        var commands = TourCommands().ToList();
        Assert.True(commands.Count >= 10, $"{commands.Count} commands");
        foreach (var command in commands)
        {
            Assert.Contains(command[0], Commands);
            // A .mdl after -o is what the command writes (modelc import).
            var read = command.Where((a, i) => a.EndsWith(".mdl", StringComparison.Ordinal) && command[i - 1] != "-o");
            Assert.All(read, file => Assert.True(File.Exists(RepositoryPaths.Get(file)), file));
        }
    }

    [Fact]
    public void TheQuickTourCommandsSucceed()
    {
        foreach (var command in TourCommands().Where(c => c[0] is "check" or "ir" or "summary" or "builtins"))
        {
            var result = Modelc.Run([.. command.Select(a => a.EndsWith(".mdl", StringComparison.Ordinal) ? RepositoryPaths.Get(a) : a)]);
            Assert.True(result.ExitCode == 0, $"modelc {string.Join(' ', command)}\n{result}");
        }
    }

    [Fact]
    public void TheErrorShownIsTheOneCheckPrints()
    {
        var readme = File.ReadAllText(RepositoryPaths.Get("README.md"));
        var shown = ShownError().Match(readme);
        Assert.True(shown.Success);
        var arguments = shown.Groups[1].Value.Split(' ');
        var result = Modelc.Run([arguments[0], RepositoryPaths.Get(arguments[1]), .. arguments[2..]]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(shown.Groups[2].Value, result.Error, StringComparison.Ordinal);
    }

    [GeneratedRegex("```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShBlock();

    // "$ modelc ARGS" then a first line "…/FILE:LINE:COL: error …" whose text after the place is compared.
    [GeneratedRegex("\\$ modelc ([^\n]+)\n…/[^ ]+ (error [^\n]+)\n")]
    private static partial Regex ShownError();
}
