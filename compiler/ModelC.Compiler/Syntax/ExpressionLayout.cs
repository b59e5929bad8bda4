namespace ModelC.Compiler.Syntax;

/// <summary>
/// The layout of expressions: operators spaced and parenthesized only where the grammar's
/// precedence needs it (parentheses the tree holds as <see cref="ParenthesizedSyntax"/> are
/// kept), and line breaks where a line gets too long: before each <c>&gt;&gt;</c> and binary
/// operator, between arguments, list and branch items.
/// </summary>
internal static class ExpressionLayout
{
    private const string SequenceOperator = ">> ";

    /// <summary>
    /// The layout of <paramref name="expression"/>, in parentheses when it binds more loosely
    /// than <paramref name="context"/>. <paramref name="startsLine"/> says that when the
    /// expression breaks it starts its line; a <c>&gt;&gt;</c> chain then aligns its operands
    /// under the first one, as stdlib's blocks are written.
    /// </summary>
    public static Layout Of(ExpressionSyntax expression, Precedence context = Precedence.Conditional, bool startsLine = false) =>
        PrecedenceOf(expression) < context
            ? Parenthesized(expression)
            : Unparenthesized(expression, startsLine);

    /// <summary>A name, checked to be one the lexer reads back as a name.</summary>
    /// <exception cref="ArgumentException">It is empty, not made of letters, digits and <c>_</c>, or a keyword.</exception>
    public static string Name(IdentifierSyntax identifier) =>
        SyntaxFacts.IsIdentifier(identifier.Name)
            ? identifier.Name
            : throw new ArgumentException($"'{identifier.Name}' cannot be written as a name", nameof(identifier));

    /// <summary>How tightly the printed expression binds.</summary>
    public static Precedence PrecedenceOf(ExpressionSyntax expression) => expression switch
    {
        IntLiteralSyntax { Value: long.MinValue } => Precedence.Additive,
        IntLiteralSyntax or FloatLiteralSyntax when LiteralText.IsNegative(expression) => Precedence.Prefix,
        IntLiteralSyntax or FloatLiteralSyntax or StringLiteralSyntax or BoolLiteralSyntax or NameSyntax or ParenthesizedSyntax
            or ListSyntax or BranchSyntax or RouteSyntax => Precedence.Primary,
        CallSyntax or MemberSyntax or IndexSyntax => Precedence.Postfix,
        UnarySyntax => Precedence.Prefix,
        BinarySyntax binary => SyntaxFacts.PrecedenceOf(binary.Operator),
        SequenceSyntax => Precedence.Sequence,
        ConditionalSyntax => Precedence.Conditional,
        _ => throw Unprintable(expression),
    };

    private static Layout Unparenthesized(ExpressionSyntax expression, bool startsLine) => expression switch
    {
        IntLiteralSyntax literal => LiteralText.Integer(literal.Value),
        FloatLiteralSyntax literal => LiteralText.Float(literal.Value),
        StringLiteralSyntax literal => LiteralText.String(literal.Value),
        BoolLiteralSyntax literal => literal.Value ? "true" : "false",
        NameSyntax name => Name(name.Identifier),
        ParenthesizedSyntax parenthesized => Layout.Bracketed("(", [Of(parenthesized.Inner, startsLine: true)], ")", Layout.SoftBreak),
        ListSyntax list => Layout.Bracketed("[", [.. list.Elements.Select(Item)], "]", Layout.SoftBreak),
        CallSyntax call => Layout.Concat(Callee(call.Callee), Arguments(call.Arguments)),
        MemberSyntax member => Layout.Concat(MemberTarget(member.Target), ".", Name(member.Member)),
        IndexSyntax index when !index.Indices.IsEmpty => Layout.Concat(
            Of(index.Target, Precedence.Postfix), Layout.Bracketed("[", [.. index.Indices.Select(Subscript)], "]", Layout.SoftBreak)),
        UnarySyntax unary => Layout.Concat(SyntaxFacts.Text(unary.Operator), Of(unary.Operand, Precedence.Prefix)),
        BinarySyntax binary => Binary(binary),
        SequenceSyntax sequence => Sequence(sequence, startsLine),
        ConditionalSyntax conditional => new Layout.Group(Layout.Concat(
            Of(conditional.Condition, Precedence.Sequence),
            new Layout.Nest(LayoutRenderer.IndentWidth, Layout.Concat(
                Layout.Space, "? ", Of(conditional.WhenTrue),
                Layout.Space, ": ", Of(conditional.WhenFalse))))),
        BranchSyntax branch when !branch.Branches.IsEmpty => Layout.Concat(
            "branch ", Head(branch.Splitter), " ",
            Layout.Bracketed("[", [.. branch.Branches.Select(Item)], "]", Layout.Space),
            " merge ", Head(branch.Merge)),
        RouteSyntax route => Layout.Concat(
            "route ", Head(route.Pre), " ", Layout.Bracketed("[", [Item(route.Inner)], "]", Layout.Space), " ", Head(route.Post)),
        _ => throw Unprintable(expression),
    };

    private static Layout Parenthesized(ExpressionSyntax expression) =>
        Layout.Bracketed("(", [Unparenthesized(expression, startsLine: true)], ")", Layout.SoftBreak);

    // An item of a list, a branch or a route, which starts its line when the list breaks.
    private static Layout Item(ExpressionSyntax expression) => Of(expression, startsLine: true);

    // `x[c ? a : b:d]` parses with the conditional as the start, so a part needs no parentheses.
    private static Layout Subscript(ExpressionSyntax index) => index is SliceSyntax slice
        ? Layout.Concat(SlicePart(slice.Start), ":", SlicePart(slice.Stop), slice.Step is { } step ? Layout.Concat(":", SlicePart(step)) : Layout.Empty)
        : Item(index);

    private static Layout SlicePart(ExpressionSyntax? part) => part is null ? Layout.Empty : Of(part);

    private static Layout Arguments(IEnumerable<ArgumentSyntax> arguments) =>
        Layout.Bracketed("(", [.. arguments.Select(Argument)], ")", Layout.SoftBreak);

    /// <summary><c>value</c> or <c>name = value</c>.</summary>
    public static Layout Argument(ArgumentSyntax argument) =>
        argument.Name is { } name
            ? Layout.Concat(Name(name), " = ", Of(argument.Value))
            : Item(argument.Value);

    // In `branch … merge m(x)` and `route … post(x)` the arguments would be the last
    // operator's, so a branch or route that ends in a bare name is called in parentheses.
    private static Layout Callee(ExpressionSyntax callee) =>
        callee is BranchSyntax { Merge: NameSyntax } or RouteSyntax { Post: NameSyntax }
            ? Parenthesized(callee)
            : Of(callee, Precedence.Postfix);

    // `1.x` would lex as the float `1.` and a name, so an integer's member needs parentheses.
    private static Layout MemberTarget(ExpressionSyntax target) =>
        target is IntLiteralSyntax ? Parenthesized(target) : Of(target, Precedence.Postfix);

    // The operator positions of branch and route are a name or a call of a name (grammar: `head`).
    private static Layout Head(ExpressionSyntax head) => head switch
    {
        NameSyntax name => Name(name.Identifier),
        CallSyntax { Callee: NameSyntax name } call => Layout.Concat(Name(name.Identifier), Arguments(call.Arguments)),
        _ => throw new ArgumentException(
            $"the operators of branch and route must be a name or a call of a name, not {Describe(head)}", nameof(head)),
    };

    // `a + b - c` is one chain of operands at one precedence, broken before each operator.
    private static Layout Binary(BinarySyntax binary)
    {
        var precedence = SyntaxFacts.PrecedenceOf(binary.Operator);
        var rest = new List<Layout>();
        ExpressionSyntax left = binary;
        while (left is BinarySyntax link && SyntaxFacts.PrecedenceOf(link.Operator) == precedence)
        {
            rest.Add(Layout.Concat(Layout.Space, SyntaxFacts.Text(link.Operator), " ", Of(link.Right, precedence + 1)));
            left = link.Left;
        }
        rest.Reverse();
        return new Layout.Group(Layout.Concat(Of(left, precedence), new Layout.Nest(LayoutRenderer.IndentWidth, new Layout.Sequence([.. rest]))));
    }

    // `a >> b >> c`, broken before each `>>`: at the start of a line the operands align
    // (the first indented by the width of `>> `), elsewhere the continuation lines indent.
    // An operand that breaks itself keeps its lines under its first one.
    private static Layout Sequence(SequenceSyntax sequence, bool startsLine)
    {
        var rest = new List<Layout>();
        ExpressionSyntax first = sequence;
        while (first is SequenceSyntax link)
        {
            rest.Add(Layout.Concat(Layout.Space, SequenceOperator, Aligned(Of(link.Second, Precedence.Sequence + 1))));
            first = link.First;
        }
        rest.Reverse();
        var head = Of(first, Precedence.Sequence);
        var tail = new Layout.Sequence([.. rest]);
        return new Layout.Group(startsLine
            ? Layout.Concat(new Layout.IfBroken(new string(' ', SequenceOperator.Length), Layout.Empty), Aligned(head), tail)
            : Layout.Concat(head, new Layout.Nest(LayoutRenderer.IndentWidth, tail)));
    }

    private static Layout Aligned(Layout operand) => new Layout.Nest(SequenceOperator.Length, operand);

    private static ArgumentException Unprintable(ExpressionSyntax expression) =>
        new($"{Describe(expression)} cannot be printed", nameof(expression));

    private static string Describe(ExpressionSyntax expression) => expression switch
    {
        MissingExpressionSyntax => "a missing expression (a syntax error)",
        BranchSyntax => "a branch without branches",
        _ => $"a {expression.GetType().Name}",
    };
}
