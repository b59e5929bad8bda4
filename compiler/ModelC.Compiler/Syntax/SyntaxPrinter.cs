using System.Text;

namespace ModelC.Compiler.Syntax;

/// <summary>
/// Writes a syntax tree as <c>.mdl</c> source in the canonical format: four-space indentation,
/// one statement per line, a blank line between declarations, operators spaced and
/// parenthesized only where precedence needs it, numbers that read back as the same value,
/// <c>///</c> documentation before its declaration, and lines broken to fit a width. Parsing the
/// text gives the same tree (spans aside), so tools can generate source by building trees.
/// </summary>
/// <remarks>
/// Only what the tree holds is printed: <c>//</c> and <c>/* */</c> comments are not part of it
/// and are lost; imports come before the declarations. A tree built by hand may hold what
/// no source writes, which prints as the nearest source: a negative literal as a negation,
/// <c>else { if … }</c> as <c>else if …</c>, a documentation's <c>\r\n</c> as a line break.
/// </remarks>
public static class SyntaxPrinter
{
    /// <summary>The line width the printer breaks lines to fit.</summary>
    public const int DefaultLineWidth = 100;

    /// <summary>
    /// The source of <paramref name="node"/>. A file, an import, a declaration or a statement
    /// prints as whole lines, each ending with a line break; an expression, a type, a parameter
    /// or an argument as text that starts at the beginning of a line.
    /// </summary>
    /// <param name="node">The tree to print.</param>
    /// <param name="lineWidth">Lines longer than this are broken where the language allows it; names and strings longer than it overflow.</param>
    /// <exception cref="ArgumentException">
    /// The tree cannot be written as source: it holds a <see cref="MissingExpressionSyntax"/> (a
    /// syntax error), a name that is a keyword or not made of letters, digits and <c>_</c>, a float
    /// that is infinite or NaN, an import without a module name, a <c>branch</c> without branches,
    /// or a <c>branch</c>/<c>route</c> operator that is not a name or a call of a name.
    /// </exception>
    public static string Print(SyntaxNode node, int lineWidth = DefaultLineWidth)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lineWidth);
        // Deep trees recurse deeply, as in the parser.
        return LargeStack.Run(() => new SourceWriter(lineWidth).Write(node));
    }

    private sealed class SourceWriter(int width)
    {
        // `input`, `output` and `loss` are padded to one width so that the names after them align.
        private const int StatementKeywordWidth = 6;

        private readonly StringBuilder _text = new();

        public string Write(SyntaxNode node)
        {
            switch (node)
            {
                case CompilationUnitSyntax unit:
                    Unit(unit);
                    break;
                case ImportSyntax import:
                    Import(import);
                    break;
                case DeclarationSyntax declaration:
                    Declaration(declaration);
                    break;
                case StatementSyntax statement:
                    Statement(statement, 0);
                    break;
                case ExpressionSyntax expression:
                    Render(ExpressionLayout.Of(expression, startsLine: true), 0, endLine: false);
                    break;
                case TypeSyntax type:
                    Render(Type(type), 0, endLine: false);
                    break;
                case ParameterSyntax parameter:
                    Render(Parameter(parameter), 0, endLine: false);
                    break;
                case ArgumentSyntax argument:
                    Render(ExpressionLayout.Argument(argument), 0, endLine: false);
                    break;
                case IdentifierSyntax identifier:
                    _text.Append(ExpressionLayout.Name(identifier));
                    break;
                default:
                    throw new ArgumentException($"cannot print a {node.GetType().Name}", nameof(node));
            }
            return _text.ToString();
        }

        private void Unit(CompilationUnitSyntax unit)
        {
            foreach (var import in unit.Imports)
            {
                Import(import);
            }
            foreach (var declaration in unit.Declarations)
            {
                if (_text.Length > 0)
                {
                    _text.Append('\n');
                }
                Declaration(declaration);
            }
        }

        private void Import(ImportSyntax import)
        {
            var target = import switch
            {
                ModuleImportSyntax { Parts.IsEmpty: true } => throw new ArgumentException("an import needs a module name", nameof(import)),
                ModuleImportSyntax module => string.Join('.', module.Parts.Select(ExpressionLayout.Name)),
                PathImportSyntax path => LiteralText.String(path.Path),
                _ => throw new ArgumentException($"cannot print a {import.GetType().Name}", nameof(import)),
            };
            _text.Append("import ").Append(target).Append(";\n");
        }

        private void Declaration(DeclarationSyntax declaration)
        {
            Documentation(declaration.Documentation);
            switch (declaration)
            {
                case BlockDeclarationSyntax { ExpressionBody: { } body } block:
                    Render(Assignment(Layout.Concat("block ", ExpressionLayout.Name(block.Name), Parameters(block.Parameters)), body), 0);
                    break;
                case BlockDeclarationSyntax block:
                    Body(Layout.Concat("block ", ExpressionLayout.Name(block.Name), Parameters(block.Parameters)), block.StatementBody, 0);
                    break;
                case ModelDeclarationSyntax model:
                    Body(Layout.Concat("model ", ExpressionLayout.Name(model.Name), Parameters(model.Parameters)), model.Statements, 0);
                    break;
                case ConstDeclarationSyntax constant:
                    var head = Layout.Concat("const ", ExpressionLayout.Name(constant.Name),
                        constant.Type is { } type ? Layout.Concat(": ", Type(type)) : Layout.Empty);
                    Render(Assignment(head, constant.Value), 0);
                    break;
                default:
                    throw new ArgumentException($"cannot print a {declaration.GetType().Name}", nameof(declaration));
            }
        }

        // `///` lines; an empty line of documentation is a bare `///`.
        private void Documentation(string? documentation)
        {
            if (documentation is null)
            {
                return;
            }
            // Only \r and \n end a comment (ReplaceLineEndings would also split at U+2028 and friends).
            foreach (var line in documentation.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', '\r'))
            {
                _text.Append(line.Length == 0 ? "///" : "/// " + line).Append('\n');
            }
        }

        // `head {`, the statements indented, `}`; `head {}` when there are none.
        private void Body(Layout head, IReadOnlyList<StatementSyntax> statements, int indent)
        {
            Render(Layout.Concat(head, statements.Count == 0 ? " {}" : " {"), indent);
            if (statements.Count == 0)
            {
                return;
            }
            Statements(statements, indent + LayoutRenderer.IndentWidth);
            _text.Append(' ', indent).Append('}').Append('\n');
        }

        private void Statements(IEnumerable<StatementSyntax> statements, int indent)
        {
            foreach (var statement in statements)
            {
                Statement(statement, indent);
            }
        }

        private void Statement(StatementSyntax statement, int indent)
        {
            switch (statement)
            {
                case LetStatementSyntax let:
                    Render(Assignment(Layout.Concat("let ", ExpressionLayout.Name(let.Name)), let.Value), indent);
                    break;
                case ReturnStatementSyntax ret:
                    Render(Layout.Concat("return ", ExpressionLayout.Of(ret.Value), ";"), indent);
                    break;
                case IfStatementSyntax conditional:
                    If(conditional, indent);
                    break;
                case InputStatementSyntax input:
                    Render(Layout.Concat(Keyword("input"), ExpressionLayout.Name(input.Name), ": ", Type(input.Type), ";"), indent);
                    break;
                case OutputStatementSyntax output:
                    var head = Layout.Concat(Keyword("output"), ExpressionLayout.Name(output.Name),
                        output.Type is { } type ? Layout.Concat(": ", Type(type)) : Layout.Empty);
                    Render(Assignment(head, output.Value), indent);
                    break;
                case LossStatementSyntax loss:
                    Render(Layout.Concat(Keyword("loss"), ExpressionLayout.Of(loss.Value), ";"), indent);
                    break;
                case OptimizerStatementSyntax optimizer:
                    Render(Layout.Concat("optimizer ", ExpressionLayout.Of(optimizer.Value), ";"), indent);
                    break;
                case AssertStatementSyntax assert:
                    Render(Layout.Concat("assert ", ExpressionLayout.Of(assert.Condition),
                        assert.Message is { } message ? ", " + LiteralText.String(message) : "", ";"), indent);
                    break;
                default:
                    throw new ArgumentException($"cannot print a {statement.GetType().Name}", nameof(statement));
            }
        }

        // `if c { … } else if d { … } else { … }`: an else branch that is one `if` is an else-if.
        private void If(IfStatementSyntax statement, int indent)
        {
            var keyword = "if ";
            while (true)
            {
                Body(Layout.Concat(keyword, ExpressionLayout.Of(statement.Condition)), statement.Then, indent);
                if (statement.Else is not { } otherwise)
                {
                    return;
                }
                // The else goes on the closing brace's line: `} else {`.
                _text.Length--;
                if (otherwise is [IfStatementSyntax elseIf])
                {
                    keyword = " else if ";
                    statement = elseIf;
                    continue;
                }
                Body(" else", otherwise, indent);
                return;
            }
        }

        private static Layout Keyword(string keyword) => keyword.PadRight(StatementKeywordWidth) + " ";

        // `head = value;`, the value on the next line when the whole does not fit.
        private static Layout Assignment(Layout head, ExpressionSyntax value) =>
            new Layout.Group(Layout.Concat(
                head, " =",
                new Layout.Nest(LayoutRenderer.IndentWidth, Layout.Concat(Layout.Space, ExpressionLayout.Of(value, startsLine: true))),
                ";"));

        private static Layout Parameters(IReadOnlyCollection<ParameterSyntax> parameters) =>
            parameters.Count == 0 ? Layout.Empty : Layout.Bracketed("(", [.. parameters.Select(Parameter)], ")", Layout.SoftBreak);

        private static Layout Parameter(ParameterSyntax parameter) => Layout.Concat(
            ExpressionLayout.Name(parameter.Name), ": ", Type(parameter.Type),
            parameter.Default is { } value ? Layout.Concat(" = ", ExpressionLayout.Of(value)) : Layout.Empty);

        private static Layout Type(TypeSyntax type)
        {
            var name = SyntaxFacts.IsTypeName(type.Name.Name)
                ? type.Name.Name
                : throw new ArgumentException($"'{type.Name.Name}' cannot be written as a type", nameof(type));
            return type.Dimensions is { } dimensions
                ? Layout.Concat(name, Layout.Bracketed("[", [.. dimensions.Select(d => ExpressionLayout.Of(d, startsLine: true))], "]", Layout.SoftBreak))
                : name;
        }

        // Writes a layout at the start of a line indented by `indent`, or after what the line
        // already holds (`} else {`).
        private void Render(Layout layout, int indent, bool endLine = true)
        {
            if (_text.Length == 0 || _text[^1] == '\n')
            {
                _text.Append(' ', indent);
            }
            var lineStart = _text.Length;
            while (lineStart > 0 && _text[lineStart - 1] != '\n')
            {
                lineStart--;
            }
            LayoutRenderer.Render(_text, layout, indent, _text.Length - lineStart, width);
            if (endLine)
            {
                _text.Append('\n');
            }
        }
    }
}
