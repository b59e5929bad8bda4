using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using ModelC.Compiler.Text;
using ModelC.Grammar;
using static ModelC.Grammar.ModelCParser;

namespace ModelC.Compiler.Syntax;

/// <summary>
/// Turns ANTLR's parse tree into the immutable syntax tree. After error recovery the parse
/// tree may lack children; those become <see cref="MissingExpressionSyntax"/> and friends so
/// that building never fails.
/// </summary>
internal sealed class SyntaxTreeBuilder(SourceText source, CommonTokenStream tokens, List<Diagnostic> diagnostics)
{
    /// <summary>How deeply expressions and statements may nest before the builder refuses them.</summary>
    public const int MaxNestingDepth = 1000;

    private int _depth;
    private bool _reportedDepth;

    public CompilationUnitSyntax Build(CompilationUnitContext context)
    {
        var imports = ImmutableArray.CreateBuilder<ImportSyntax>();
        var declarations = ImmutableArray.CreateBuilder<DeclarationSyntax>();
        foreach (var child in context.children ?? [])
        {
            switch (child)
            {
                case ImportDeclContext import when BuildImport(import) is { } built:
                    imports.Add(built);
                    break;
                case DeclarationContext declaration when BuildDeclaration(declaration) is { } built:
                    declarations.Add(built);
                    break;
            }
        }
        return new CompilationUnitSyntax(imports.ToImmutable(), declarations.ToImmutable(), Span(context));
    }

    private ImportSyntax? BuildImport(ImportDeclContext context)
    {
        if (context.STRING() is { } path)
        {
            return new PathImportSyntax(DecodeString(path.Symbol), Span(context), Span(path.Symbol));
        }
        if (context.qualifiedName() is { } name)
        {
            var parts = name.IDENT().Select(Identifier).ToImmutableArray();
            return parts.IsEmpty ? null : new ModuleImportSyntax(parts, Span(context), Span(name));
        }
        return null;
    }

    private DeclarationSyntax? BuildDeclaration(DeclarationContext context)
    {
        var documentation = Documentation(context.Start);
        if (context.blockDecl() is { } block)
        {
            return new BlockDeclarationSyntax(
                Identifier(block.IDENT()),
                Parameters(block.paramList()),
                block.ASSIGN() is null ? null : Expression(block.expr()),
                block.body() is { } body ? Statements(body) : [],
                documentation,
                Span(block));
        }
        if (context.modelDecl() is { } model)
        {
            return new ModelDeclarationSyntax(
                Identifier(model.IDENT()),
                Parameters(model.paramList()),
                Statements(model.body()),
                documentation,
                Span(model));
        }
        if (context.constDecl() is { } constant)
        {
            return new ConstDeclarationSyntax(
                Identifier(constant.IDENT()),
                constant.typeRef() is { } type ? Type(type) : null,
                Expression(constant.expr()),
                documentation,
                Span(constant));
        }
        return null;
    }

    private ImmutableArray<ParameterSyntax> Parameters(ParamListContext? context) =>
        context is null
            ? []
            : [.. context.param().Select(p => new ParameterSyntax(
                Identifier(p.IDENT()),
                Type(p.typeRef()),
                p.expr() is { } value ? Expression(value) : null,
                Span(p)))];

    private TypeSyntax Type(TypeRefContext? context)
    {
        if (context is null)
        {
            return new TypeSyntax(new IdentifierSyntax("", default), null, default);
        }
        ImmutableArray<ExpressionSyntax>? dimensions = context.LBRACK() is null
            ? null
            : [.. context.expr().Select(Expression)];
        var name = context.typeName() is { } typeName && typeName.Start is { TokenIndex: >= 0 } token && typeName.exception is null
            ? new IdentifierSyntax(token.Text, Span(token))
            : new IdentifierSyntax("", Span(context));
        return new TypeSyntax(name, dimensions, Span(context));
    }

    private ImmutableArray<StatementSyntax> Statements(BodyContext? context) =>
        context is null ? [] : [.. context.statement().Select(Statement).OfType<StatementSyntax>()];

    private StatementSyntax? Statement(StatementContext context) => context switch
    {
        LetStatementContext let => new LetStatementSyntax(Identifier(let.IDENT()), Expression(let.expr()), Span(let)),
        ReturnStatementContext ret => new ReturnStatementSyntax(Expression(ret.expr()), Span(ret)),
        IfStatementAltContext alt when alt.ifStatement() is { } ifs => If(ifs),
        InputStatementContext input => new InputStatementSyntax(Identifier(input.IDENT()), Type(input.typeRef()), Span(input)),
        OutputStatementContext output => new OutputStatementSyntax(
            Identifier(output.IDENT()),
            output.typeRef() is { } type ? Type(type) : null,
            Expression(output.expr()),
            Span(output)),
        LossStatementContext loss => new LossStatementSyntax(Expression(loss.expr()), Span(loss)),
        OptimizerStatementContext optimizer => new OptimizerStatementSyntax(Expression(optimizer.expr()), Span(optimizer)),
        AssertStatementContext assert => new AssertStatementSyntax(
            Expression(assert.expr()),
            assert.STRING() is { } message ? DecodeString(message.Symbol) : null,
            Span(assert)),
        _ => null,
    };

    private IfStatementSyntax If(IfStatementContext context)
    {
        if (!Descend(context))
        {
            return new IfStatementSyntax(new MissingExpressionSyntax(Span(context)), [], null, Span(context));
        }
        try
        {
            return BuildIf(context);
        }
        finally
        {
            _depth--;
        }
    }

    private IfStatementSyntax BuildIf(IfStatementContext context)
    {
        var bodies = context.body();
        ImmutableArray<StatementSyntax>? otherwise = null;
        if (context.ifStatement() is { } elseIf)
        {
            otherwise = [If(elseIf)];
        }
        else if (context.ELSE() is not null && bodies.Length > 1)
        {
            otherwise = Statements(bodies[1]);
        }
        return new IfStatementSyntax(
            Expression(context.expr()),
            bodies.Length > 0 ? Statements(bodies[0]) : [],
            otherwise,
            Span(context));
    }

    private ExpressionSyntax Expression(ExprContext? context)
    {
        if (context is null)
        {
            return new MissingExpressionSyntax(default);
        }
        if (!Descend(context))
        {
            return new MissingExpressionSyntax(Span(context));
        }
        try
        {
            return BuildExpression(context);
        }
        finally
        {
            _depth--;
        }
    }

    // Counts one more level of nesting; false (reported once per file) beyond the limit.
    private bool Descend(ParserRuleContext context)
    {
        if (_depth >= MaxNestingDepth)
        {
            if (!_reportedDepth)
            {
                _reportedDepth = true;
                diagnostics.Add(SyntaxDiagnostics.NestingTooDeep(new Location(source, Span(context)), MaxNestingDepth));
            }
            return false;
        }
        _depth++;
        return true;
    }

    private ExpressionSyntax BuildExpression(ExprContext context)
    {
        var span = Span(context);
        switch (context)
        {
            case PrimaryExprContext primary:
                return Primary(primary.primary());
            case CallExprContext call:
                return new CallSyntax(Expression(call.expr()), Arguments(call.argList()), span);
            case MemberExprContext member:
                return new MemberSyntax(Expression(member.expr()), Identifier(member.IDENT()), span);
            case IndexExprContext index:
                return new IndexSyntax(Expression(index.expr()), [.. index.subscript().Select(Subscript)], span);
            case UnaryExprContext unary:
                return new UnarySyntax(
                    unary.op?.Type == BANG ? UnaryOperator.Not : UnaryOperator.Negate, Expression(unary.expr()), span);
            case MultiplicativeExprContext e:
                return Binary(e.op, e.expr(0), e.expr(1), span);
            case AdditiveExprContext e:
                return Binary(e.op, e.expr(0), e.expr(1), span);
            case RelationalExprContext e:
                return Binary(e.op, e.expr(0), e.expr(1), span);
            case EqualityExprContext e:
                return Binary(e.op, e.expr(0), e.expr(1), span);
            case AndExprContext e:
                return Binary(e.AND()?.Symbol, e.expr(0), e.expr(1), span);
            case OrExprContext e:
                return Binary(e.OR()?.Symbol, e.expr(0), e.expr(1), span);
            case SequenceExprContext e:
                return Sequence(e);
            case ConditionalExprContext e:
                return new ConditionalSyntax(Expression(e.expr(0)), Expression(e.expr(1)), Expression(e.expr(2)), span);
            default:
                return new MissingExpressionSyntax(span);
        }
    }

    private ExpressionSyntax Subscript(SubscriptContext context) => context switch
    {
        ElementSubscriptContext element => Expression(element.expr()),
        SliceSubscriptContext slice => Slice(slice),
        _ => new MissingExpressionSyntax(Span(context)),
    };

    // Every part of `start:stop:step` is optional: a part's place is the number of colons before it.
    private SliceSyntax Slice(SliceSubscriptContext context)
    {
        var parts = new ExpressionSyntax?[3];
        var colons = 0;
        foreach (var child in context.children)
        {
            if (child is ITerminalNode { Symbol.Type: COLON })
            {
                colons++;
            }
            else if (child is ExprContext part && colons < parts.Length)
            {
                parts[colons] = Expression(part);
            }
        }
        return new SliceSyntax(parts[0], parts[1], parts[2], Span(context));
    }

    // `a >> b >> c` parses left-deep, one parse-tree level per term; a chain is one level of
    // nesting however long it is, so its links are walked in a loop and only terms count.
    private ExpressionSyntax Sequence(SequenceExprContext last)
    {
        var links = new Stack<SequenceExprContext>();
        ExprContext? context = last;
        while (context is SequenceExprContext link)
        {
            links.Push(link);
            context = link.expr(0);
        }
        var result = Expression(context);
        while (links.TryPop(out var link))
        {
            result = new SequenceSyntax(result, Expression(link.expr(1)), Span(link));
        }
        return result;
    }

    private ExpressionSyntax Binary(IToken? op, ExprContext? left, ExprContext? right, TextSpan span)
    {
        if (op is null)
        {
            return new MissingExpressionSyntax(span);
        }
        BinaryOperator? kind = op.Type switch
        {
            PLUS => BinaryOperator.Add,
            MINUS => BinaryOperator.Subtract,
            STAR => BinaryOperator.Multiply,
            SLASH => BinaryOperator.Divide,
            PERCENT => BinaryOperator.Modulo,
            AT => BinaryOperator.MatMul,
            LT => BinaryOperator.Less,
            LE => BinaryOperator.LessOrEqual,
            GT => BinaryOperator.Greater,
            GE => BinaryOperator.GreaterOrEqual,
            EQ => BinaryOperator.Equal,
            NE => BinaryOperator.NotEqual,
            AND => BinaryOperator.And,
            OR => BinaryOperator.Or,
            _ => null,
        };
        return kind is { } k
            ? new BinarySyntax(k, Expression(left), Expression(right), Span(op), span)
            : new MissingExpressionSyntax(span);
    }

    private ExpressionSyntax Primary(PrimaryContext? context)
    {
        if (context is null)
        {
            return new MissingExpressionSyntax(default);
        }
        var span = Span(context);
        return context switch
        {
            IntLiteralContext literal => IntLiteral(literal.INT()?.Symbol, span),
            FloatLiteralContext literal => FloatLiteral(literal.FLOAT()?.Symbol, span),
            StringLiteralContext literal when literal.STRING() is { } token => new StringLiteralSyntax(DecodeString(token.Symbol), span),
            BoolLiteralContext literal => new BoolLiteralSyntax(literal.TRUE() is not null, span),
            NameRefContext name => new NameSyntax(Identifier(name.IDENT()), span),
            ParenthesizedContext paren => new ParenthesizedSyntax(Expression(paren.expr()), span),
            ListLiteralContext list => new ListSyntax([.. list.expr().Select(Expression)], span),
            BranchExprContext branch => new BranchSyntax(
                Head(branch.head(0)),
                [.. branch.expr().Select(Expression)],
                Head(branch.head(1)),
                span),
            RouteExprContext route => new RouteSyntax(Head(route.head(0)), Expression(route.expr()), Head(route.head(1)), span),
            _ => new MissingExpressionSyntax(span),
        };
    }

    private ExpressionSyntax Head(HeadContext? context)
    {
        if (context?.IDENT() is not { } name)
        {
            return new MissingExpressionSyntax(context is null ? default : Span(context));
        }
        var identifier = Identifier(name);
        ExpressionSyntax callee = new NameSyntax(identifier, identifier.Span);
        return context.LPAREN() is null
            ? callee
            : new CallSyntax(callee, Arguments(context.argList()), Span(context));
    }

    private ImmutableArray<ArgumentSyntax> Arguments(ArgListContext? context) =>
        context is null
            ? []
            : [.. context.arg().Select(a => new ArgumentSyntax(
                a.IDENT() is { } name ? Identifier(name) : null,
                Expression(a.expr()),
                Span(a)))];

    private ExpressionSyntax IntLiteral(IToken? token, TextSpan span)
    {
        if (token is null)
        {
            return new MissingExpressionSyntax(span);
        }
        if (long.TryParse(token.Text.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return new IntLiteralSyntax(value, span);
        }
        diagnostics.Add(SyntaxDiagnostics.NumberOutOfRange(new Location(source, span), token.Text));
        return new MissingExpressionSyntax(span);
    }

    private ExpressionSyntax FloatLiteral(IToken? token, TextSpan span)
    {
        if (token is null)
        {
            return new MissingExpressionSyntax(span);
        }
        var value = double.Parse(token.Text.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsFinite(value))
        {
            return new FloatLiteralSyntax(value, span);
        }
        diagnostics.Add(SyntaxDiagnostics.NumberOutOfRange(new Location(source, span), token.Text));
        return new MissingExpressionSyntax(span);
    }

    private string DecodeString(IToken token)
    {
        var text = token.Text;
        var result = new StringBuilder();
        for (var i = 1; i < text.Length - 1; i++)
        {
            if (text[i] != '\\')
            {
                result.Append(text[i]);
                continue;
            }
            var escaped = text[++i];
            switch (escaped)
            {
                case '"': result.Append('"'); break;
                case '\\': result.Append('\\'); break;
                case 'n': result.Append('\n'); break;
                case 't': result.Append('\t'); break;
                case 'r': result.Append('\r'); break;
                default:
                    var at = new Location(source, new TextSpan(token.StartIndex + i - 1, 2));
                    diagnostics.Add(SyntaxDiagnostics.UnknownEscape(at, "\\" + escaped));
                    break;
            }
        }
        return result.ToString();
    }

    private string? Documentation(IToken start)
    {
        var comments = tokens.GetHiddenTokensToLeft(start.TokenIndex, Parser.DocumentationChannel);
        if (comments is null || comments.Count == 0)
        {
            return null;
        }
        return string.Join('\n', comments.Select(c =>
        {
            var line = c.Text[3..];
            return line.StartsWith(' ') ? line[1..] : line;
        })).TrimEnd();
    }

    private static IdentifierSyntax Identifier(ITerminalNode? node) =>
        node is null || node.Symbol.TokenIndex < 0
            ? new IdentifierSyntax("", node is null ? default : Span(node.Symbol))
            : new IdentifierSyntax(node.GetText(), Span(node.Symbol));

    private static TextSpan Span(IToken token) => TextSpan.FromBounds(token.StartIndex, token.StopIndex + 1);

    private static TextSpan Span(ParserRuleContext context)
    {
        var start = context.Start?.StartIndex ?? 0;
        var stop = context.Stop is { } s && s.StopIndex >= start ? s.StopIndex + 1 : start;
        return TextSpan.FromBounds(start, stop);
    }
}
