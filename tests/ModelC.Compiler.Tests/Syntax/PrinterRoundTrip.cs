using ModelC.Compiler.Syntax;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Tests.Syntax;

/// <summary>The round-trip check of <see cref="SyntaxPrinter"/>: print, parse, compare, print again.</summary>
internal static class PrinterRoundTrip
{
    /// <summary>
    /// Prints <paramref name="tree"/>, parses the text and asserts that it parses cleanly to an
    /// equivalent tree (<paramref name="ignoreParentheses"/>: up to the parentheses the printer
    /// adds) and that printing that tree gives the same text again. Returns the text and its tree.
    /// </summary>
    public static (string Text, SyntaxTree Reparsed) Check(
        CompilationUnitSyntax tree, string context, bool ignoreParentheses = false, int lineWidth = SyntaxPrinter.DefaultLineWidth)
    {
        var printed = SyntaxPrinter.Print(tree, lineWidth);
        var reparsed = Parser.Parse(new SourceText(context, printed));
        Assert.True(reparsed.Diagnostics.IsEmpty,
            $"{context}: the printed text does not parse cleanly:\n{string.Join("\n", reparsed.Diagnostics)}\n---- printed ----\n{printed}");
        SyntaxEquivalence.Equivalent(tree, reparsed.Root, ignoreParentheses, $"{context} (printed:\n{printed})");
        var again = SyntaxPrinter.Print(reparsed.Root, lineWidth);
        Assert.True(printed == again, $"{context}: printing is not a fixed point:\n---- first ----\n{printed}\n---- second ----\n{again}");
        return (printed, reparsed);
    }
}
