using System.Text.RegularExpressions;
using ModelC.Compiler.Semantics;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Tests.Docs;

/// <summary>
/// Compiles the ModelC code blocks of the documentation. An <c>mdl</c> block is a complete
/// program: it must compile without any diagnostic, declare a model, and every model must
/// elaborate in both execution modes. An <c>mdl-error</c> block starts with
/// <c>// error MCxxxx</c> (or <c>// warning MCxxxx</c>) and must produce that diagnostic.
/// </summary>
internal static partial class DocBlockChecker
{
    /// <summary>The language of blocks that must compile.</summary>
    public const string Program = "mdl";

    /// <summary>The language of blocks that must fail with a named diagnostic.</summary>
    public const string ErrorExample = "mdl-error";

    /// <summary>
    /// Checks one block and returns its problems, empty when it is right. <paramref name="directory"/>
    /// is the folder of the Markdown file: the block is compiled as if it were a file there, so
    /// that <c>import "…";</c> resolves relative to the documentation.
    /// </summary>
    public static List<string> Check(CodeBlock block, string directory)
    {
        var path = Path.Combine(directory, $"{Path.GetFileName(block.File)}.line{block.Line}.mdl");
        return block.Language switch
        {
            Program => CheckProgram(block, path),
            ErrorExample => CheckErrorExample(block, path),
            _ => [],
        };
    }

    private static List<string> CheckProgram(CodeBlock block, string path)
    {
        var (diagnostics, modelCount) = Diagnose(path, block.Source);
        var problems = diagnostics.Select(d => $"{Where(block, path, d)}: {Describe(d)}").ToList();
        if (modelCount == 0 && problems.Count == 0)
        {
            problems.Add($"{block.Where}: the example declares no model, so its declarations are never elaborated; add a model that uses them");
        }
        return problems;
    }

    private static List<string> CheckErrorExample(CodeBlock block, string path)
    {
        var firstLine = block.Source.Split('\n', 2)[0];
        var expected = ExpectedCode().Match(firstLine);
        if (!expected.Success)
        {
            return [$"{block.Where}: an {ErrorExample} block must start with a comment '// error MCxxxx' (or '// warning MCxxxx') naming the diagnostic it shows, got '{firstLine}'"];
        }
        var (severity, code) = (expected.Groups[1].Value, expected.Groups[2].Value);
        var (diagnostics, _) = Diagnose(path, block.Source);
        if (diagnostics.Any(d => d.Code == code && (d.IsError ? "error" : "warning") == severity))
        {
            return [];
        }
        var got = diagnostics.Count == 0
            ? "no diagnostics at all"
            : string.Join("; ", diagnostics.Select(d => $"{Where(block, path, d)}: {Describe(d)}"));
        return [$"{block.Where}: expected {severity} {code}, got {got}"];
    }

    /// <summary>
    /// Every diagnostic of a program: the static ones and the training elaboration (through
    /// <see cref="CompilerDriver.Check"/>), then those of the inference elaboration.
    /// </summary>
    private static (List<Diagnostic> Diagnostics, int ModelCount) Diagnose(string path, string source)
    {
        var all = CompilerDriver.Check(path, source).ToList();
        var compilation = Compilation.FromSource(path, source, CompilerDriver.Options);
        if (!compilation.HasErrors)
        {
            foreach (var model in compilation.Models)
            {
                all.AddRange(compilation.Elaborate(model, ExecutionMode.Inference).Diagnostics
                    .Select(d => d with { Message = d.Message + " (inference mode)" }));
            }
        }
        // Diagnostics that both modes report once each are shown once.
        var distinct = all.DistinctBy(d => (d.Code, d.Location.Source.Path, d.Location.Span, d.Message.Replace(" (inference mode)", "", StringComparison.Ordinal))).ToList();
        return (distinct, compilation.Models.Length);
    }

    // A diagnostic in the block itself is shown at its line in the Markdown file; one in an
    // imported file at its own place.
    private static string Where(CodeBlock block, string path, Diagnostic diagnostic) =>
        diagnostic.Location.Source.Path == path
            ? $"{block.File}:{block.MarkdownLine(diagnostic.Location.Start.Line)} (line {diagnostic.Location.Start.Line} of the block at line {block.Line})"
            : diagnostic.Location.ToString();

    private static string Describe(Diagnostic diagnostic) =>
        $"{(diagnostic.IsError ? "error" : "warning")} {diagnostic.Code}: {diagnostic.Message}";

    [GeneratedRegex(@"^\s*//\s*(error|warning)\s+(MC\d{4})\b")]
    private static partial Regex ExpectedCode();
}
