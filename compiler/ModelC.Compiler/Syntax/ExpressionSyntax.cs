using System.Collections.Immutable;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Syntax;

/// <summary>An expression: a compile-time value, a tensor, or a module (a function of tensors).</summary>
public abstract record ExpressionSyntax(TextSpan Span) : SyntaxNode(Span);

/// <summary>An integer literal.</summary>
public sealed record IntLiteralSyntax(long Value, TextSpan Span) : ExpressionSyntax(Span);

/// <summary>A floating-point literal.</summary>
public sealed record FloatLiteralSyntax(double Value, TextSpan Span) : ExpressionSyntax(Span);

/// <summary>A string literal, escapes already decoded.</summary>
public sealed record StringLiteralSyntax(string Value, TextSpan Span) : ExpressionSyntax(Span);

/// <summary><c>true</c> or <c>false</c>.</summary>
public sealed record BoolLiteralSyntax(bool Value, TextSpan Span) : ExpressionSyntax(Span);

/// <summary>A name: a local, a parameter, a block, a constant or a built-in.</summary>
public sealed record NameSyntax(IdentifierSyntax Identifier, TextSpan Span) : ExpressionSyntax(Span);

/// <summary><c>( expr )</c></summary>
public sealed record ParenthesizedSyntax(ExpressionSyntax Inner, TextSpan Span) : ExpressionSyntax(Span);

/// <summary><c>[a, b, c]</c> — a compile-time list.</summary>
public sealed record ListSyntax(ImmutableArray<ExpressionSyntax> Elements, TextSpan Span) : ExpressionSyntax(Span);

/// <summary><c>callee(args)</c>: configures a block, applies a module to tensors, or both.</summary>
public sealed record CallSyntax(ExpressionSyntax Callee, ImmutableArray<ArgumentSyntax> Arguments, TextSpan Span)
    : ExpressionSyntax(Span);

/// <summary>One argument, positional or <c>name = value</c>.</summary>
public sealed record ArgumentSyntax(IdentifierSyntax? Name, ExpressionSyntax Value, TextSpan Span) : SyntaxNode(Span);

/// <summary><c>target.member</c>, e.g. <c>x.shape</c>.</summary>
public sealed record MemberSyntax(ExpressionSyntax Target, IdentifierSyntax Member, TextSpan Span) : ExpressionSyntax(Span);

/// <summary>
/// <c>target[i, j, …]</c>: one index takes an item of a list (or a slice of it); a tensor takes one
/// index or <see cref="SliceSyntax"/> per leading dimension.
/// </summary>
public sealed record IndexSyntax(ExpressionSyntax Target, ImmutableArray<ExpressionSyntax> Indices, TextSpan Span) : ExpressionSyntax(Span);

/// <summary><c>start:stop:step</c> inside an index, each part optional; appears only in <see cref="IndexSyntax.Indices"/>.</summary>
public sealed record SliceSyntax(ExpressionSyntax? Start, ExpressionSyntax? Stop, ExpressionSyntax? Step, TextSpan Span) : ExpressionSyntax(Span);

/// <summary>The prefix operators.</summary>
public enum UnaryOperator
{
    /// <summary><c>-x</c></summary>
    Negate,

    /// <summary><c>!b</c></summary>
    Not,
}

/// <summary><c>-x</c> or <c>!b</c>.</summary>
public sealed record UnarySyntax(UnaryOperator Operator, ExpressionSyntax Operand, TextSpan Span) : ExpressionSyntax(Span);

/// <summary>The infix operators other than <c>&gt;&gt;</c>.</summary>
public enum BinaryOperator
{
    /// <summary><c>+</c></summary>
    Add,

    /// <summary><c>-</c></summary>
    Subtract,

    /// <summary><c>*</c></summary>
    Multiply,

    /// <summary><c>/</c></summary>
    Divide,

    /// <summary><c>%</c></summary>
    Modulo,

    /// <summary><c>@</c>, matrix product of tensors.</summary>
    MatMul,

    /// <summary><c>&lt;</c></summary>
    Less,

    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,

    /// <summary><c>&gt;</c></summary>
    Greater,

    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,

    /// <summary><c>==</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>&amp;&amp;</c></summary>
    And,

    /// <summary><c>||</c></summary>
    Or,
}

/// <summary><c>left op right</c>.</summary>
public sealed record BinarySyntax(BinaryOperator Operator, ExpressionSyntax Left, ExpressionSyntax Right, TextSpan OperatorSpan, TextSpan Span)
    : ExpressionSyntax(Span);

/// <summary><c>first &gt;&gt; second</c>: sequential composition of modules.</summary>
public sealed record SequenceSyntax(ExpressionSyntax First, ExpressionSyntax Second, TextSpan Span) : ExpressionSyntax(Span);

/// <summary><c>cond ? a : b</c>; only the chosen side is evaluated.</summary>
public sealed record ConditionalSyntax(ExpressionSyntax Condition, ExpressionSyntax WhenTrue, ExpressionSyntax WhenFalse, TextSpan Span)
    : ExpressionSyntax(Span);

/// <summary><c>branch clone(2) [ a, b ] merge add</c>: split, transform each part, aggregate.</summary>
public sealed record BranchSyntax(ExpressionSyntax Splitter, ImmutableArray<ExpressionSyntax> Branches, ExpressionSyntax Merge, TextSpan Span)
    : ExpressionSyntax(Span);

/// <summary><c>route im2col(3, 1, 1) [ inner ] col2im</c>: re-arrange, transform, restore.</summary>
public sealed record RouteSyntax(ExpressionSyntax Pre, ExpressionSyntax Inner, ExpressionSyntax Post, TextSpan Span)
    : ExpressionSyntax(Span);

/// <summary>Stands where the parser recovered from a syntax error; never reaches semantics.</summary>
public sealed record MissingExpressionSyntax(TextSpan Span) : ExpressionSyntax(Span);
