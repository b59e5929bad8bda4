using ModelC.Compiler.Syntax;
using static ModelC.Compiler.Tests.Syntax.ParseHelpers;

namespace ModelC.Compiler.Tests.Syntax;

/// <summary>Every expression form, with precedence and associativity, as S-expressions.</summary>
public sealed class ExpressionParsingTests
{
    [Theory]
    // Literals and names.
    [InlineData("42", "42")]
    [InlineData("0", "0")]
    [InlineData("1_000_000", "1000000")]
    [InlineData("9223372036854775807", "9223372036854775807")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("\"text\"", "\"text\"")]
    [InlineData("\"\"", "\"\"")]
    [InlineData("relu", "relu")]
    [InlineData("_private_9", "_private_9")]
    [InlineData("(x)", "(paren x)")]
    [InlineData("((x))", "(paren (paren x))")]
    // Lists: empty, trailing comma, nested, of expressions.
    [InlineData("[]", "[]")]
    [InlineData("[1]", "[1]")]
    [InlineData("[1, 2, 3]", "[1 2 3]")]
    [InlineData("[1, 2, 3,]", "[1 2 3]")]
    [InlineData("[[1], [], [2, 3]]", "[[1] [] [2 3]]")]
    [InlineData("[a + 1, f(x)]", "[(+ a 1) (call f x)]")]
    public void PrimaryExpressions(string source, string expected) => Assert.Equal(expected, Sexp(source));

    [Theory]
    // Multiplicative binds tighter than additive; both are left-associative.
    [InlineData("a + b * c", "(+ a (* b c))")]
    [InlineData("a * b + c", "(+ (* a b) c)")]
    [InlineData("a - b - c", "(- (- a b) c)")]
    [InlineData("a - b + c", "(+ (- a b) c)")]
    [InlineData("a / b / c", "(/ (/ a b) c)")]
    [InlineData("a * b / c % d @ e", "(@ (% (/ (* a b) c) d) e)")]
    [InlineData("a @ b * c", "(* (@ a b) c)")]
    [InlineData("(a + b) * c", "(* (paren (+ a b)) c)")]
    // Relational over equality over && over ||.
    [InlineData("a + 1 < b * 2", "(< (+ a 1) (* b 2))")]
    [InlineData("a < b == c > d", "(== (< a b) (> c d))")]
    [InlineData("a <= b != c >= d", "(!= (<= a b) (>= c d))")]
    [InlineData("a == b != c", "(!= (== a b) c)")]
    [InlineData("a < b < c", "(< (< a b) c)")]
    [InlineData("a == b && c != d", "(&& (== a b) (!= c d))")]
    [InlineData("a || b && c", "(|| a (&& b c))")]
    [InlineData("a && b || c && d", "(|| (&& a b) (&& c d))")]
    [InlineData("a && b && c", "(&& (&& a b) c)")]
    [InlineData("a || b || c", "(|| (|| a b) c)")]
    public void ArithmeticAndLogicalOperators(string source, string expected) => Assert.Equal(expected, Sexp(source));

    [Theory]
    // `>>` is looser than every arithmetic and logical operator, tighter than `?:`, and left-associative.
    [InlineData("a >> b", "(>> a b)")]
    [InlineData("a >> b >> c", "(>> (>> a b) c)")]
    [InlineData("a + b >> c * d", "(>> (+ a b) (* c d))")]
    [InlineData("a || b >> c && d", "(>> (|| a b) (&& c d))")]
    [InlineData("a >> b == c", "(>> a (== b c))")]
    [InlineData("f(1) >> g >> h(2, 3)", "(>> (>> (call f 1) g) (call h 2 3))")]
    [InlineData("(a >> b)(x)", "(call (paren (>> a b)) x)")]
    [InlineData("a >> b(x)", "(>> a (call b x))")]
    // `?:` is the loosest and right-associative; its branches take whole sequences.
    [InlineData("c ? a : b", "(? c a b)")]
    [InlineData("x >> y ? b : c >> d", "(? (>> x y) b (>> c d))")]
    [InlineData("c ? a >> b : d", "(? c (>> a b) d)")]
    [InlineData("a ? b : c ? d : e", "(? a b (? c d e))")]
    [InlineData("a ? b ? c : d : e", "(? a (? b c d) e)")]
    [InlineData("n == 1 ? linear(w) : linear(w) >> act", "(? (== n 1) (call linear w) (>> (call linear w) act))")]
    [InlineData("(c ? a : b) >> d", "(>> (paren (? c a b)) d)")]
    public void SequenceAndConditional(string source, string expected) => Assert.Equal(expected, Sexp(source));

    [Theory]
    // Prefix operators bind tighter than binary ones, looser than postfix ones.
    [InlineData("-a", "(- a)")]
    [InlineData("!a", "(! a)")]
    [InlineData("-1", "(- 1)")]
    [InlineData("- - - x", "(- (- (- x)))")]
    [InlineData("!-!x", "(! (- (! x)))")]
    [InlineData("-a * b", "(* (- a) b)")]
    [InlineData("a * -b", "(* a (- b))")]
    [InlineData("a - -b", "(- a (- b))")]
    [InlineData("a--b", "(- a (- b))")]
    [InlineData("!a && b", "(&& (! a) b)")]
    [InlineData("-a.b", "(- (. a b))")]
    [InlineData("-f(x)", "(- (call f x))")]
    [InlineData("-x[0]", "(- ([] x 0))")]
    [InlineData("!c ? a : b", "(? (! c) a b)")]
    public void UnaryOperators(string source, string expected) => Assert.Equal(expected, Sexp(source));

    [Theory]
    // Calls, members and indexes chain left to right at the tightest level.
    [InlineData("f()", "(call f)")]
    [InlineData("f(x)", "(call f x)")]
    [InlineData("f(1, 2,)", "(call f 1 2)")]
    [InlineData("f(1, n = 2)", "(call f 1 n=2)")]
    [InlineData("f(n = a == b, m = c ? d : e)", "(call f n=(== a b) m=(? c d e))")]
    [InlineData("f(a >> b)", "(call f (>> a b))")]
    [InlineData("f(x)(y)", "(call (call f x) y)")]
    [InlineData("linear(10)(x)", "(call (call linear 10) x)")]
    [InlineData("x.shape", "(. x shape)")]
    [InlineData("a.b.c", "(. (. a b) c)")]
    [InlineData("x.shape[1]", "([] (. x shape) 1)")]
    [InlineData("a[1][2]", "([] ([] a 1) 2)")]
    [InlineData("a[i + 1]", "([] a (+ i 1))")]
    [InlineData("f(x).y[0](z)", "(call ([] (. (call f x) y) 0) z)")]
    [InlineData("[1, 2][0]", "([] [1 2] 0)")]
    [InlineData("(a >> b).c", "(. (paren (>> a b)) c)")]
    [InlineData("nu[level + 1]", "([] nu (+ level 1))")]
    [InlineData("f.g(x)", "(call (. f g) x)")]
    public void CallsMembersAndIndexes(string source, string expected) => Assert.Equal(expected, Sexp(source));

    [Theory]
    [InlineData("branch clone(2) [ a, b ] merge add", "(branch (call clone 2) [a b] add)")]
    [InlineData("branch clone(2) [ a, b, ] merge add", "(branch (call clone 2) [a b] add)")]
    [InlineData("branch clone [ a ] merge concat(-1)", "(branch clone [a] (call concat (- 1)))")]
    [InlineData("branch split(axis = 1) [ a >> b, c ] merge concat(dim = 1)", "(branch (call split axis=1) [(>> a b) c] (call concat dim=1))")]
    [InlineData("branch clone(2) [ a, b ] merge add >> relu", "(>> (branch (call clone 2) [a b] add) relu)")]
    [InlineData("branch clone() [ x ] merge add", "(branch (call clone) [x] add)")]
    [InlineData("route im2col(3, 1, 1) [ linear(out) ] col2im", "(route (call im2col 3 1 1) (call linear out) col2im)")]
    [InlineData("route identity [ linear(d) ] permute(0, 2, 1)", "(route identity (call linear d) (call permute 0 2 1))")]
    [InlineData("route a [ b >> c ] d >> e", "(>> (route a (>> b c) d) e)")]
    [InlineData("route a [ branch b [ c, d ] merge e ] f", "(route a (branch b [c d] e) f)")]
    [InlineData("branch clone(2) [ route a [ b ] c, identity ] merge add", "(branch (call clone 2) [(route a b c) identity] add)")]
    public void BranchAndRoute(string source, string expected) => Assert.Equal(expected, Sexp(source));

    [Fact]
    public void BranchAndRouteHeadsAreNamesOrCalls()
    {
        var branch = Assert.IsType<BranchSyntax>(Expression("branch clone(2) [ a, b ] merge concat(dim = -1)"));
        var splitter = Assert.IsType<CallSyntax>(branch.Splitter);
        Assert.Equal("clone", Assert.IsType<NameSyntax>(splitter.Callee).Identifier.Name);
        Assert.Equal(2, branch.Branches.Length);
        var merge = Assert.IsType<CallSyntax>(branch.Merge);
        Assert.Equal("dim", Assert.Single(merge.Arguments).Name!.Name);

        var route = Assert.IsType<RouteSyntax>(Expression("route identity [ linear(d) ] col2im"));
        Assert.Equal("identity", Assert.IsType<NameSyntax>(route.Pre).Identifier.Name);
        Assert.IsType<CallSyntax>(route.Inner);
        Assert.Equal("col2im", Assert.IsType<NameSyntax>(route.Post).Identifier.Name);
    }

    [Fact]
    public void BinaryOperatorsMapToTheirKinds()
    {
        var cases = new (string Source, BinaryOperator Operator)[]
        {
            ("a + b", BinaryOperator.Add), ("a - b", BinaryOperator.Subtract), ("a * b", BinaryOperator.Multiply),
            ("a / b", BinaryOperator.Divide), ("a % b", BinaryOperator.Modulo), ("a @ b", BinaryOperator.MatMul),
            ("a < b", BinaryOperator.Less), ("a <= b", BinaryOperator.LessOrEqual), ("a > b", BinaryOperator.Greater),
            ("a >= b", BinaryOperator.GreaterOrEqual), ("a == b", BinaryOperator.Equal), ("a != b", BinaryOperator.NotEqual),
            ("a && b", BinaryOperator.And), ("a || b", BinaryOperator.Or),
        };
        foreach (var (source, op) in cases)
        {
            Assert.Equal(op, Assert.IsType<BinarySyntax>(Expression(source)).Operator);
        }
        Assert.IsType<SequenceSyntax>(Expression("a >> b"));
        Assert.Equal(UnaryOperator.Negate, Assert.IsType<UnarySyntax>(Expression("-a")).Operator);
        Assert.Equal(UnaryOperator.Not, Assert.IsType<UnarySyntax>(Expression("!a")).Operator);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("7", 7L)]
    [InlineData("1_000", 1000L)]
    [InlineData("1_2_3_4", 1234L)]
    [InlineData("007", 7L)]
    [InlineData("2147483648", 2147483648L)]
    [InlineData("9_223_372_036_854_775_807", long.MaxValue)]
    public void IntegerLiterals(string source, long value) =>
        Assert.Equal(value, Assert.IsType<IntLiteralSyntax>(Expression(source)).Value);

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("0.5", 0.5)]
    [InlineData("2.", 2.0)]
    [InlineData(".5", 0.5)]
    [InlineData(".5e1", 5.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("1E3", 1000.0)]
    [InlineData("1e+3", 1000.0)]
    [InlineData("5e-4", 0.0005)]
    [InlineData("1.5e-3", 0.0015)]
    [InlineData("2.e2", 200.0)]
    [InlineData("1_000.250_0", 1000.25)]
    [InlineData("1e1_0", 1e10)]
    [InlineData("1e308", 1e308)]
    [InlineData("1e-400", 0.0)]
    public void FloatLiterals(string source, double value) =>
        Assert.Equal(value, Assert.IsType<FloatLiteralSyntax>(Expression(source)).Value);

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"say \\\"hi\\\"\"", "say \"hi\"")]
    [InlineData("\"back\\\\slash\"", "back\\slash")]
    [InlineData("\"a\\nb\"", "a\nb")]
    [InlineData("\"a\\tb\"", "a\tb")]
    [InlineData("\"a\\rb\"", "a\rb")]
    [InlineData("\"\\\\n\"", "\\n")]
    [InlineData("\"'single' //not a comment /* nor this */\"", "'single' //not a comment /* nor this */")]
    [InlineData("\"λ µ 中\"", "λ µ 中")]
    public void StringEscapesAreDecoded(string source, string value) =>
        Assert.Equal(value, Assert.IsType<StringLiteralSyntax>(Expression(source)).Value);

    [Fact]
    public void AnUnknownEscapeIsReportedAtTheBackslash()
    {
        // const s = "ab\qc\zd";
        var tree = Parse("const s = \"ab\\qc\\zd\";");
        Assert.Equal(
            ["1:14 MC1006 unknown escape sequence '\\q' in string literal", "1:17 MC1006 unknown escape sequence '\\z' in string literal"],
            tree.Diagnostics.Select(d => $"{d.Location.Start} {d.Code} {d.Message}"));
        Assert.All(tree.Diagnostics, d => Assert.Equal(2, d.Location.Span.Length));
        Assert.Equal("the escapes are \\\" \\\\ \\n \\t and \\r", tree.Diagnostics[0].Hint);
        // The rest of the string is kept; the unknown escape is dropped.
        var value = Assert.IsType<StringLiteralSyntax>(Assert.IsType<ConstDeclarationSyntax>(Assert.Single(tree.Root.Declarations)).Value);
        Assert.Equal("abcd", value.Value);
    }

    [Theory]
    [InlineData("99999999999999999999")]
    [InlineData("9223372036854775808")]
    [InlineData("1e400")]
    [InlineData("1.8e308")]
    public void NumbersOutOfRangeAreReported(string literal)
    {
        var tree = Parse($"const n = {literal};");
        var diagnostic = Assert.Single(tree.Diagnostics);
        Assert.Equal("MC1005", diagnostic.Code);
        Assert.Equal($"number literal {literal} is out of range", diagnostic.Message);
        Assert.Equal("1:11", diagnostic.Location.Start.ToString());
        Assert.Equal(literal.Length, diagnostic.Location.Span.Length);
        Assert.IsType<MissingExpressionSyntax>(Assert.IsType<ConstDeclarationSyntax>(Assert.Single(tree.Root.Declarations)).Value);
    }

    [Theory]
    // Underscores only between digits: anything else splits the literal into more tokens.
    [InlineData("1__0")]
    [InlineData("1_")]
    [InlineData("1._5")]
    public void MisplacedUnderscoresAreSyntaxErrors(string literal) => Assert.NotEmpty(Parse($"const n = {literal};").Diagnostics);

    [Fact]
    public void ALeadingUnderscoreMakesAName() => Assert.Equal("_1", Sexp("_1"));
}
