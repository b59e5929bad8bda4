using ModelC.Compiler.Syntax;
using static ModelC.Compiler.Tests.Syntax.ParseHelpers;

namespace ModelC.Compiler.Tests.Syntax;

/// <summary>Every statement kind, in block and model bodies.</summary>
public sealed class StatementParsingTests
{
    [Theory]
    [InlineData("let a = relu(x);", "{(let a (call relu x))}")]
    [InlineData("let a = 1; let a = a + 1;", "{(let a 1) (let a (+ a 1))}")]
    [InlineData("return x;", "{(return x)}")]
    [InlineData("return (linear(4) >> relu)(x);", "{(return (call (paren (>> (call linear 4) relu)) x))}")]
    [InlineData("input t: f32[B, 16, 64];", "{(input t f32[B, 16, 64])}")]
    [InlineData("input labels: i32[B];", "{(input labels i32[B])}")]
    [InlineData("output y = x;", "{(output y x)}")]
    [InlineData("output y: f32[B, 10] = linear(10)(x);", "{(output y f32[B, 10] (call (call linear 10) x))}")]
    [InlineData("loss mse(y, t);", "{(loss (call mse y t))}")]
    [InlineData("loss a + 0.5 * b;", "{(loss (+ a (* 0.5 b)))}")]
    [InlineData("optimizer adam(lr = 1e-4);", "{(optimizer (call adam lr=1e-4))}")]
    [InlineData("optimizer sgd;", "{(optimizer sgd)}")]
    [InlineData("assert d % heads == 0;", "{(assert (== (% d heads) 0))}")]
    [InlineData("assert d > 0, \"d must be positive\";", "{(assert (> d 0) \"d must be positive\")}")]
    [InlineData("assert ok, \"say \\\"why\\\"\\n\";", "{(assert ok \"say \"why\"\n\")}")]
    public void SimpleStatements(string body, string expected) => Assert.Equal(expected, Statements(body));

    [Theory]
    [InlineData("if c { return a; }", "{(if c {(return a)})}")]
    [InlineData("if c { } else { }", "{(if c {} else {})}")]
    [InlineData("if n == 0 { return u; } else { let v = u; return v; }", "{(if (== n 0) {(return u)} else {(let v u) (return v)})}")]
    [InlineData("if a { return x; } else if b { return y; } else { return z; }", "{(if a {(return x)} else {(if b {(return y)} else {(return z)})})}")]
    [InlineData("if a { } else if b { }", "{(if a {} else {(if b {})})}")]
    [InlineData("if a { if b { return x; } } return y;", "{(if a {(if b {(return x)})}) (return y)}")]
    [InlineData("if level == len(nu) - 1 { return u; }", "{(if (== level (- (call len nu) 1)) {(return u)})}")]
    public void IfStatements(string body, string expected) => Assert.Equal(expected, Statements(body));

    [Fact]
    public void ElseIfIsANestedIfInTheElseBranch()
    {
        var block = Single<BlockDeclarationSyntax>("block b(x: tensor) { if a { return x; } else if b { return x; } }");
        var outer = Assert.IsType<IfStatementSyntax>(Assert.Single(block.StatementBody));
        var inner = Assert.IsType<IfStatementSyntax>(Assert.Single(outer.Else!.Value));
        Assert.Null(inner.Else);
        Assert.Equal("if b { return x; }", ParseValid("block b(x: tensor) { if a { return x; } else if b { return x; } }").Text(inner.Span));
    }

    [Fact]
    public void AnIfWithoutElseHasNoElseBranch()
    {
        var block = Single<BlockDeclarationSyntax>("block b(x: tensor) { if a { } }");
        Assert.Null(Assert.IsType<IfStatementSyntax>(Assert.Single(block.StatementBody)).Else);
        var withElse = Single<BlockDeclarationSyntax>("block b(x: tensor) { if a { } else { } }");
        Assert.Empty(Assert.IsType<IfStatementSyntax>(Assert.Single(withElse.StatementBody)).Else!.Value);
    }

    [Fact]
    public void ModelsAcceptEveryStatementKind()
    {
        var model = Single<ModelDeclarationSyntax>(
            "model M(B: batch) {\n" +
            "    input x: f32[B, 4];\n" +
            "    let h = relu(x);\n" +
            "    assert true;\n" +
            "    if true { let h = h; } else { }\n" +
            "    output y = h;\n" +
            "    loss mse(y, x);\n" +
            "    optimizer adam;\n" +
            "    return y;\n" +
            "}");
        Assert.Equal(
            [typeof(InputStatementSyntax), typeof(LetStatementSyntax), typeof(AssertStatementSyntax), typeof(IfStatementSyntax),
             typeof(OutputStatementSyntax), typeof(LossStatementSyntax), typeof(OptimizerStatementSyntax), typeof(ReturnStatementSyntax)],
            model.Statements.Select(s => s.GetType()));
    }

    [Fact]
    public void StatementsKeepTheirNamesAndTypes()
    {
        var model = Single<ModelDeclarationSyntax>("model M(B: batch) { input image: f32[B, 3, 32, 32]; output logits: f32[B, 10] = f(image); }");
        var input = Assert.IsType<InputStatementSyntax>(model.Statements[0]);
        Assert.Equal("image", input.Name.Name);
        Assert.Equal("f32", input.Type.Name.Name);
        Assert.Equal(["B", "3", "32", "32"], input.Type.Dimensions!.Value.Select(SyntaxShape.Print));
        var output = Assert.IsType<OutputStatementSyntax>(model.Statements[1]);
        Assert.Equal("logits", output.Name.Name);
        Assert.Equal("f32[B, 10]", SyntaxShape.Print(output.Type!));
        var untyped = Assert.IsType<OutputStatementSyntax>(Single<ModelDeclarationSyntax>("model M { output y = x; }").Statements[0]);
        Assert.Null(untyped.Type);
        var assert = Assert.IsType<AssertStatementSyntax>(Assert.Single(Single<BlockDeclarationSyntax>("block b { assert x; }").StatementBody));
        Assert.Null(assert.Message);
    }
}
