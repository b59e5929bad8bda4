using System.Globalization;
using ModelC.Compiler.Syntax;
using ModelC.Compiler.Tests.Fuzz;
using ModelC.Compiler.Text;
using static ModelC.Compiler.Tests.Syntax.ParseHelpers;

namespace ModelC.Compiler.Tests.Syntax;

/// <summary>
/// What <see cref="SyntaxPrinter"/> writes: parentheses only where precedence needs them in
/// trees built by hand, literals that read back as their values, the canonical layout, and
/// clear errors for trees that no source can express.
/// </summary>
public sealed class SyntaxPrinterTests
{
    // ---- trees built by hand, as a tool would

    private static NameSyntax N(string name) => new(new IdentifierSyntax(name, default), default);

    private static BinarySyntax Bin(BinaryOperator op, ExpressionSyntax left, ExpressionSyntax right) => new(op, left, right, default, default);

    private static UnarySyntax Neg(ExpressionSyntax operand) => new(UnaryOperator.Negate, operand, default);

    private static SequenceSyntax Seq(ExpressionSyntax first, ExpressionSyntax second) => new(first, second, default);

    private static ConditionalSyntax Cond(ExpressionSyntax condition, ExpressionSyntax whenTrue, ExpressionSyntax whenFalse) =>
        new(condition, whenTrue, whenFalse, default);

    private static CallSyntax Call(ExpressionSyntax callee, params ExpressionSyntax[] arguments) =>
        new(callee, [.. arguments.Select(a => new ArgumentSyntax(null, a, default))], default);

    private static MemberSyntax Member(ExpressionSyntax target, string member) => new(target, new IdentifierSyntax(member, default), default);

    private static IntLiteralSyntax Int(long value) => new(value, default);

    private static BranchSyntax Branch(ExpressionSyntax merge) => new(N("clone"), [N("a")], merge, default);

    public static TheoryData<string, ExpressionSyntax> HandBuiltTrees() => new()
    {
        { "(a + b) * c", Bin(BinaryOperator.Multiply, Bin(BinaryOperator.Add, N("a"), N("b")), N("c")) },
        { "a + b * c", Bin(BinaryOperator.Add, N("a"), Bin(BinaryOperator.Multiply, N("b"), N("c"))) },
        { "a - b - c", Bin(BinaryOperator.Subtract, Bin(BinaryOperator.Subtract, N("a"), N("b")), N("c")) },
        { "a - (b - c)", Bin(BinaryOperator.Subtract, N("a"), Bin(BinaryOperator.Subtract, N("b"), N("c"))) },
        { "a + (b + c)", Bin(BinaryOperator.Add, N("a"), Bin(BinaryOperator.Add, N("b"), N("c"))) },
        { "a < b == c < d", Bin(BinaryOperator.Equal, Bin(BinaryOperator.Less, N("a"), N("b")), Bin(BinaryOperator.Less, N("c"), N("d"))) },
        { "(a == b) < c", Bin(BinaryOperator.Less, Bin(BinaryOperator.Equal, N("a"), N("b")), N("c")) },
        { "(a || b) && c", Bin(BinaryOperator.And, Bin(BinaryOperator.Or, N("a"), N("b")), N("c")) },
        { "-(a + b)", Neg(Bin(BinaryOperator.Add, N("a"), N("b"))) },
        { "-a * b", Bin(BinaryOperator.Multiply, Neg(N("a")), N("b")) },
        { "-a.b", Neg(Member(N("a"), "b")) },
        { "(-a).b", Member(Neg(N("a")), "b") },
        { "--a", Neg(Neg(N("a"))) },
        { "a - -b", Bin(BinaryOperator.Subtract, N("a"), Neg(N("b"))) },
        { "a >> b >> c", Seq(Seq(N("a"), N("b")), N("c")) },
        { "a >> (b >> c)", Seq(N("a"), Seq(N("b"), N("c"))) },
        { "a + b >> c || d", Seq(Bin(BinaryOperator.Add, N("a"), N("b")), Bin(BinaryOperator.Or, N("c"), N("d"))) },
        { "(a >> b) || c", Bin(BinaryOperator.Or, Seq(N("a"), N("b")), N("c")) },
        { "(a >> b)(x)", Call(Seq(N("a"), N("b")), N("x")) },
        { "f(a >> b, c ? d : e)", Call(N("f"), Seq(N("a"), N("b")), Cond(N("c"), N("d"), N("e"))) },
        { "a ? b ? c : d : e ? f : g", Cond(N("a"), Cond(N("b"), N("c"), N("d")), Cond(N("e"), N("f"), N("g"))) },
        { "(a ? b : c) ? d : e", Cond(Cond(N("a"), N("b"), N("c")), N("d"), N("e")) },
        { "a >> b ? c >> d : e", Cond(Seq(N("a"), N("b")), Seq(N("c"), N("d")), N("e")) },
        { "(c ? a : b) >> x", Seq(Cond(N("c"), N("a"), N("b")), N("x")) },
        { "(1).x", Member(Int(1), "x") },
        { "1.5.x", Member(new FloatLiteralSyntax(1.5, default), "x") },
        { "(branch clone [ a ] merge add)(x)", Call(Branch(N("add")), N("x")) },
        { "branch clone [ a ] merge add(1)(x)", Call(Branch(Call(N("add"), Int(1))), N("x")) },
        { "branch clone [ a ] merge add.x", Member(Branch(N("add")), "x") },
        { "f(x)[0].y", Member(new IndexSyntax(Call(N("f"), N("x")), [Int(0)], default), "y") },
        { "x[:, 0]", new IndexSyntax(N("x"), [new SliceSyntax(null, null, null, default), Int(0)], default) },
        { "x[1:, :-1, ::2, a:b:c]", new IndexSyntax(N("x"), [
            new SliceSyntax(Int(1), null, null, default), new SliceSyntax(null, new UnarySyntax(UnaryOperator.Negate, Int(1), default), null, default),
            new SliceSyntax(null, null, Int(2), default), new SliceSyntax(N("a"), N("b"), N("c"), default)], default) },
        { "x[c ? a : b:d:c ? a : b]", new IndexSyntax(N("x"), [new SliceSyntax(Cond(N("c"), N("a"), N("b")), N("d"), Cond(N("c"), N("a"), N("b")), default)], default) },
        { "x[c ? a : b]", new IndexSyntax(N("x"), [Cond(N("c"), N("a"), N("b"))], default) },
    };

    // Literals have no sign, so a negative one is written as a negation, with its precedence.
    public static TheoryData<string, ExpressionSyntax> NegativeLiterals() => new()
    {
        { "-3", Int(-3) },
        { "-3 * x", Bin(BinaryOperator.Multiply, Int(-3), N("x")) },
        { "(-3).x", Member(Int(-3), "x") },
        { "-9223372036854775807 - 1", Int(long.MinValue) },
        { "(-9223372036854775807 - 1) * x", Bin(BinaryOperator.Multiply, Int(long.MinValue), N("x")) },
        { "a - (-9223372036854775807 - 1)", Bin(BinaryOperator.Subtract, N("a"), Int(long.MinValue)) },
    };

    [Theory]
    [MemberData(nameof(HandBuiltTrees))]
    public void ParenthesesAreWrittenOnlyWherePrecedenceNeedsThem(string expected, ExpressionSyntax tree)
    {
        Assert.Equal(expected, SyntaxPrinter.Print(tree));
        SyntaxEquivalence.Equivalent(tree, Expression(expected), ignoreParentheses: true);
    }

    [Theory]
    [MemberData(nameof(NegativeLiterals))]
    public void NegativeLiteralsAreNegations(string expected, ExpressionSyntax tree) =>
        Assert.Equal(expected, SyntaxPrinter.Print(tree));

    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(2.0, "2.0")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.05, "0.05")]
    [InlineData(1e-3, "1e-3")]
    [InlineData(1.5e-3, "0.0015")]
    [InlineData(3e-4, "3e-4")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(123456.0, "123456.0")]
    [InlineData(1000.0, "1000.0")]
    [InlineData(1e15, "1e15")]
    [InlineData(1e21, "1e21")]
    [InlineData(2.5e-8, "2.5e-8")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.MaxValue, "1.7976931348623157e308")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(-1.5, "-1.5")]
    public void FloatsAreWrittenShortAndStayFloats(double value, string expected) =>
        Assert.Equal(expected, SyntaxPrinter.Print(new FloatLiteralSyntax(value, default)));

    [Fact]
    public void EveryFloatReadsBackAsTheSameValue()
    {
        var random = new FuzzRandom(42);
        for (var i = 0; i < 3_000; i++)
        {
            var value = Math.Abs(BitConverter.Int64BitsToDouble((long)random.NextUInt64()));
            if (!double.IsFinite(value))
            {
                continue;
            }
            var text = SyntaxPrinter.Print(new FloatLiteralSyntax(value, default));
            var literal = Assert.IsType<FloatLiteralSyntax>(Expression(text));
            Assert.True(BitConverter.DoubleToInt64Bits(value) == BitConverter.DoubleToInt64Bits(literal.Value),
                $"{value.ToString("R", CultureInfo.InvariantCulture)} printed as {text} reads back as {literal.Value.ToString("R", CultureInfo.InvariantCulture)}");
        }
    }

    [Fact]
    public void StringsAreEscaped()
    {
        const string value = "say \"hi\"\\\n\t\r λ // /* x */";
        var text = SyntaxPrinter.Print(new StringLiteralSyntax(value, default));
        Assert.Equal("\"say \\\"hi\\\"\\\\\\n\\t\\r λ // /* x */\"", text);
        Assert.Equal(value, Assert.IsType<StringLiteralSyntax>(Expression(text)).Value);
    }

    [Fact]
    public void TreesThatNoSourceExpressAreRefused()
    {
        void Refused(SyntaxNode node, string message) =>
            Assert.Contains(message, Assert.Throws<ArgumentException>(() => SyntaxPrinter.Print(node)).Message, StringComparison.Ordinal);

        Refused(Bin(BinaryOperator.Add, N("a"), new MissingExpressionSyntax(default)), "a missing expression (a syntax error) cannot be printed");
        Refused(N("let"), "'let' cannot be written as a name");
        Refused(N("two words"), "'two words' cannot be written as a name");
        Refused(N("1x"), "'1x' cannot be written as a name");
        Refused(N(""), "'' cannot be written as a name");
        Refused(new FloatLiteralSyntax(double.NaN, default), "the float NaN cannot be written as a literal");
        Refused(new FloatLiteralSyntax(double.PositiveInfinity, default), "cannot be written as a literal");
        Refused(new BranchSyntax(N("clone"), [], N("add"), default), "a branch without branches cannot be printed");
        Refused(new RouteSyntax(Member(N("a"), "b"), N("x"), N("c"), default), "must be a name or a call of a name, not a MemberSyntax");
        Refused(new ModuleImportSyntax([], default, default), "an import needs a module name");
        Refused(new TypeSyntax(new IdentifierSyntax("f 32", default), null, default), "'f 32' cannot be written as a type");
    }

    [Fact]
    public void AnExampleIsPrintedAsItIsWritten()
    {
        // examples/mlp/mlp.mdl is in the canonical form; only its `//` comment is not in the tree.
        var file = File.ReadAllText(RepositoryPaths.Get("examples", "mlp", "mlp.mdl")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var printed = SyntaxPrinter.Print(ParseValid(file).Root);
        Assert.Equal(string.Join('\n', file.Split('\n').Where(line => !line.StartsWith("// ", StringComparison.Ordinal))), printed);
    }

    [Fact]
    public void StatementsDeclarationsAndDocumentationAreLaidOutOnePerLine()
    {
        const string source = """
            import "layers.mdl"; import std.nn;
            ///Doc line one.
            ///
            ///    indented
            block b(x: tensor, n: int = 2) { let y = relu(x); if n == 1 { return y; } else { if n > 2 { return x; } else { assert n < 0, "n"; return y + x; } } }
            block empty {}
            const widths: int[] = [1, 2];
            model M(B: batch) { input x: f32[B, 4]; output y: f32[B, 4] = b(x); loss mse(y, x); optimizer sgd(lr = 0.1); }
            """;
        const string expected = """
            import "layers.mdl";
            import std.nn;

            /// Doc line one.
            ///
            ///    indented
            block b(x: tensor, n: int = 2) {
                let y = relu(x);
                if n == 1 {
                    return y;
                } else if n > 2 {
                    return x;
                } else {
                    assert n < 0, "n";
                    return y + x;
                }
            }

            block empty {}

            const widths: int[] = [1, 2];

            model M(B: batch) {
                input  x: f32[B, 4];
                output y: f32[B, 4] = b(x);
                loss   mse(y, x);
                optimizer sgd(lr = 0.1);
            }

            """;
        Assert.Equal(expected, SyntaxPrinter.Print(ParseValid(source).Root));
    }

    [Fact]
    public void LongLinesBreakAtSequencesArgumentsAndBranches()
    {
        const string source = """
            block chain = conv_block(channels, 3) >> norm >> activation(slope) >> pool;
            block wide = branch clone(2) [ first_branch(width), second_branch(width) ] merge add;
            const call = some_function(first_argument, second_argument);
            """;
        const string expected = """
            block chain =
                   conv_block(channels, 3)
                >> norm
                >> activation(slope)
                >> pool;

            block wide =
                branch clone(2) [
                    first_branch(width),
                    second_branch(width)
                ] merge add;

            const call =
                some_function(
                    first_argument,
                    second_argument
                );

            """;
        Assert.Equal(expected, SyntaxPrinter.Print(ParseValid(source).Root, lineWidth: 32));
        // At the default width each fits on one line.
        Assert.Equal(3, SyntaxPrinter.Print(ParseValid(source).Root).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void AnOperandThatBreaksStaysUnderItsFirstLine()
    {
        var tree = Expression("branch clone(2) [ linear(d), route identity [ linear(d) ] permute(0, 2, 1) ] merge scaled_matmul >> softmax");
        Assert.Equal("""
               branch clone(2) [
                   linear(d),
                   route identity [ linear(d) ] permute(0, 2, 1)
               ] merge scaled_matmul
            >> softmax
            """, SyntaxPrinter.Print(tree, lineWidth: 60));
    }

    [Fact]
    public void ExpressionsTypesAndParametersPrintWithoutALineBreak()
    {
        var block = Single<BlockDeclarationSyntax>("block b(x: f32[B, 3 * n], k: int = 1) = relu;");
        Assert.Equal("x: f32[B, 3 * n]", SyntaxPrinter.Print(block.Parameters[0]));
        Assert.Equal("f32[B, 3 * n]", SyntaxPrinter.Print(block.Parameters[0].Type));
        Assert.Equal("relu", SyntaxPrinter.Print(block.ExpressionBody!));
        Assert.Equal("block b(x: f32[B, 3 * n], k: int = 1) = relu;\n", SyntaxPrinter.Print(block));
    }

    [Fact]
    public void KeywordsAreTheGrammarsReservedWords()
    {
        Assert.All(["block", "model", "let", "if", "else", "branch", "merge", "route", "true", "false", "optimizer"],
            keyword => Assert.True(SyntaxFacts.IsKeyword(keyword), keyword));
        Assert.All(["relu", "tensor", "int", "Block", "iff"], name => Assert.True(SyntaxFacts.IsIdentifier(name), name));
        Assert.True(SyntaxFacts.IsTypeName("block"));
        Assert.False(SyntaxFacts.IsTypeName("let"));
    }
}
