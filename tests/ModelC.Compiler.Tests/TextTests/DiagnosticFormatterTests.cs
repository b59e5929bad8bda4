using ModelC.Compiler.Text;

namespace ModelC.Compiler.Tests.TextTests;

/// <summary>The rendering of diagnostics: header, source excerpt with caret, hint and notes.</summary>
public sealed class DiagnosticFormatterTests
{
    private static Diagnostic At(string text, int start, int length) =>
        Diagnostic.Error("MC9999", "message", new Location(new SourceText("f.mdl", text), new TextSpan(start, length)), "a hint");

    [Fact]
    public void AShortLineIsShownWholeWithTheSpanUnderlined()
    {
        Assert.Equal(
            "f.mdl:2:7: error MC9999: message\n 2 | const abc = 1;\n   |       ^~~\n  hint: a hint\n",
            DiagnosticFormatter.Format(At("// x\nconst abc = 1;\n", 11, 3)));
    }

    [Fact]
    public void TabsAreShownAsSpacesSoTheCaretLinesUp()
    {
        Assert.Equal(" 1 | \tx".Replace('\t', ' ') + "\n   |  ^\n", Excerpt(At("\tx", 1, 1)));
    }

    [Fact]
    public void AnUnderlineStopsAtTheEndOfTheLine()
    {
        Assert.Equal(" 1 | ab\n   |  ^\n", Excerpt(At("ab\ncd", 1, 4)));
    }

    [Fact]
    public void ALongLineIsShownAsAWindowAroundTheSpan()
    {
        var line = new string('a', 5_000) + "BAD" + new string('z', 5_000);
        var excerpt = Excerpt(At(line, 5_000, 3));
        var expected = " 1 | …" + new string('a', 40) + "BAD" + new string('z', 77) + "…\n"
            + "   | " + new string(' ', 41) + "^~~\n";
        Assert.Equal(expected, excerpt);
    }

    [Fact]
    public void ASpanNearTheStartOfALongLineIsShownFromTheStart()
    {
        var line = "BAD" + new string('z', 500);
        var expected = " 1 | BAD" + new string('z', 117) + "…\n   | ^~~\n";
        Assert.Equal(expected, Excerpt(At(line, 0, 3)));
    }

    // The source excerpt: the lines between the header and the hint.
    private static string Excerpt(Diagnostic diagnostic)
    {
        var text = DiagnosticFormatter.Format(diagnostic);
        var start = text.IndexOf('\n', StringComparison.Ordinal) + 1;
        var end = text.IndexOf("  hint:", StringComparison.Ordinal);
        return text[start..end];
    }
}
