using System.Collections.Immutable;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Syntax;

/// <summary>A statement in a dataflow block or a model body.</summary>
public abstract record StatementSyntax(TextSpan Span) : SyntaxNode(Span);

/// <summary><c>let name = value;</c> — binds (or rebinds) a name.</summary>
public sealed record LetStatementSyntax(IdentifierSyntax Name, ExpressionSyntax Value, TextSpan Span) : StatementSyntax(Span);

/// <summary><c>return value;</c></summary>
public sealed record ReturnStatementSyntax(ExpressionSyntax Value, TextSpan Span) : StatementSyntax(Span);

/// <summary><c>if cond { … } else { … }</c> over a compile-time condition.</summary>
public sealed record IfStatementSyntax(
    ExpressionSyntax Condition,
    ImmutableArray<StatementSyntax> Then,
    ImmutableArray<StatementSyntax>? Else,
    TextSpan Span) : StatementSyntax(Span);

/// <summary><c>input x: f32[B, 784];</c></summary>
public sealed record InputStatementSyntax(IdentifierSyntax Name, TypeSyntax Type, TextSpan Span) : StatementSyntax(Span);

/// <summary><c>output y = expr;</c> or <c>output y: f32[B, 10] = expr;</c></summary>
public sealed record OutputStatementSyntax(IdentifierSyntax Name, TypeSyntax? Type, ExpressionSyntax Value, TextSpan Span)
    : StatementSyntax(Span);

/// <summary><c>loss expr;</c></summary>
public sealed record LossStatementSyntax(ExpressionSyntax Value, TextSpan Span) : StatementSyntax(Span);

/// <summary><c>optimizer adamw(lr = 1e-3);</c></summary>
public sealed record OptimizerStatementSyntax(ExpressionSyntax Value, TextSpan Span) : StatementSyntax(Span);

/// <summary><c>assert cond, "message";</c> checked at compile time.</summary>
public sealed record AssertStatementSyntax(ExpressionSyntax Condition, string? Message, TextSpan Span) : StatementSyntax(Span);
