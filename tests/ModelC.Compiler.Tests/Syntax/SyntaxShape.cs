using ModelC.Compiler.Syntax;

namespace ModelC.Compiler.Tests.Syntax;

/// <summary>
/// Shows the shape of syntax trees as compact S-expressions, so that a parser test states a
/// tree's whole structure in one line: <c>a + b * c</c> is <c>(+ a (* b c))</c>,
/// <c>f(1, n = 2)</c> is <c>(call f 1 n=2)</c>, a missing expression is <c>?</c>. Unlike
/// <see cref="SyntaxPrinter"/>'s source, the nesting shows without any knowledge of precedence,
/// so the parser's precedence is tested against the tests' own statement of it. Leaves (literals,
/// types, parameters) are shown as the printer writes them.
/// </summary>
internal static class SyntaxShape
{
    private static string Part(ExpressionSyntax? part) => part is null ? "_" : Print(part);

    public static string Print(ExpressionSyntax expression) => expression switch
    {
        IntLiteralSyntax or FloatLiteralSyntax or StringLiteralSyntax or BoolLiteralSyntax => SyntaxPrinter.Print(expression),
        NameSyntax n => n.Identifier.Name,
        ParenthesizedSyntax p => $"(paren {Print(p.Inner)})",
        ListSyntax l => "[" + string.Join(" ", l.Elements.Select(Print)) + "]",
        CallSyntax c => "(call " + string.Join(" ", [Print(c.Callee), .. c.Arguments.Select(Print)]) + ")",
        MemberSyntax m => $"(. {Print(m.Target)} {m.Member.Name})",
        IndexSyntax x => "([] " + string.Join(" ", [Print(x.Target), .. x.Indices.Select(Print)]) + ")",
        SliceSyntax s => $"(: {Part(s.Start)} {Part(s.Stop)} {Part(s.Step)})",
        UnarySyntax u => $"({SyntaxFacts.Text(u.Operator)} {Print(u.Operand)})",
        BinarySyntax b => $"({SyntaxFacts.Text(b.Operator)} {Print(b.Left)} {Print(b.Right)})",
        SequenceSyntax s => $"(>> {Print(s.First)} {Print(s.Second)})",
        ConditionalSyntax c => $"(? {Print(c.Condition)} {Print(c.WhenTrue)} {Print(c.WhenFalse)})",
        BranchSyntax b => $"(branch {Print(b.Splitter)} [{string.Join(" ", b.Branches.Select(Print))}] {Print(b.Merge)})",
        RouteSyntax r => $"(route {Print(r.Pre)} {Print(r.Inner)} {Print(r.Post)})",
        MissingExpressionSyntax => "?",
        _ => throw new ArgumentException("unknown expression " + expression.GetType().Name, nameof(expression)),
    };

    public static string Print(ArgumentSyntax argument) =>
        argument.Name is { } name ? $"{name.Name}={Print(argument.Value)}" : Print(argument.Value);

    public static string Print(StatementSyntax statement) => statement switch
    {
        LetStatementSyntax s => $"(let {s.Name.Name} {Print(s.Value)})",
        ReturnStatementSyntax s => $"(return {Print(s.Value)})",
        IfStatementSyntax s => $"(if {Print(s.Condition)} {Print(s.Then)}" + (s.Else is { } otherwise ? " else " + Print(otherwise) : "") + ")",
        InputStatementSyntax s => $"(input {s.Name.Name} {Print(s.Type)})",
        OutputStatementSyntax s => $"(output {s.Name.Name}" + (s.Type is { } type ? " " + Print(type) : "") + $" {Print(s.Value)})",
        LossStatementSyntax s => $"(loss {Print(s.Value)})",
        OptimizerStatementSyntax s => $"(optimizer {Print(s.Value)})",
        AssertStatementSyntax s => $"(assert {Print(s.Condition)}" + (s.Message is { } message ? $" \"{message}\"" : "") + ")",
        _ => throw new ArgumentException("unknown statement " + statement.GetType().Name, nameof(statement)),
    };

    public static string Print(IEnumerable<StatementSyntax> statements) => "{" + string.Join(" ", statements.Select(Print)) + "}";

    public static string Print(TypeSyntax type) => SyntaxPrinter.Print(type);

    public static string Print(ParameterSyntax parameter) => SyntaxPrinter.Print(parameter);

    public static string Print(DeclarationSyntax declaration) => declaration switch
    {
        BlockDeclarationSyntax b when b.IsPointFree => $"(block {b.Name.Name}({string.Join(", ", b.Parameters.Select(Print))}) = {Print(b.ExpressionBody!)})",
        BlockDeclarationSyntax b => $"(block {b.Name.Name}({string.Join(", ", b.Parameters.Select(Print))}) {Print(b.StatementBody)})",
        ModelDeclarationSyntax m => $"(model {m.Name.Name}({string.Join(", ", m.Parameters.Select(Print))}) {Print(m.Statements)})",
        ConstDeclarationSyntax c => $"(const {c.Name.Name}" + (c.Type is { } type ? ": " + Print(type) : "") + $" = {Print(c.Value)})",
        _ => throw new ArgumentException("unknown declaration " + declaration.GetType().Name, nameof(declaration)),
    };
}
