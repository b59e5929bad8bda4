using ModelC.Compiler.Syntax;
using ModelC.Compiler.Text;
using static ModelC.Compiler.Tests.Syntax.ParseHelpers;

namespace ModelC.Compiler.Tests.Syntax;

/// <summary>Nodes cover exactly the source they came from.</summary>
public sealed class SpanTests
{
    private const string Source =
        "import std.nn;\n" +                                                              // line 1, offsets 0..14
        "/// Doc.\n" +                                                                     // line 2, 15..23
        "block conv(out: int) = route im2col(3, 1, 1) [ linear(out) ] col2im;\n" +        // line 3, 24..
        "model M(B: batch) {\n" +
        "    input x: f32[B, 8];\n" +
        "    output y = (a + b * c)(x);\n" +
        "}\n";

    [Fact]
    public void ExactOffsets()
    {
        var tree = ParseValid(Source);
        var import = Assert.IsType<ModuleImportSyntax>(Assert.Single(tree.Root.Imports));
        Assert.Equal(new TextSpan(0, 14), import.Span);
        Assert.Equal(new TextSpan(7, 6), import.TargetSpan);

        var block = Assert.IsType<BlockDeclarationSyntax>(tree.Root.Declarations[0]);
        // The declaration starts at `block`, not at its documentation.
        Assert.Equal(24, block.Span.Start);
        Assert.Equal(new TextSpan(30, 4), block.Name.Span);
        Assert.Equal(new TextSpan(24, 68), block.Span);
        // The file's span ends with its last token, before the final line break.
        Assert.Equal(new TextSpan(0, Source.Length - 1), tree.Root.Span);
    }

    [Fact]
    public void DeclarationsAndParameters()
    {
        var tree = ParseValid(Source);
        var block = Assert.IsType<BlockDeclarationSyntax>(tree.Root.Declarations[0]);
        Assert.Equal("block conv(out: int) = route im2col(3, 1, 1) [ linear(out) ] col2im;", tree.Text(block.Span));
        Assert.Equal("out: int", tree.Text(block.Parameters[0].Span));
        Assert.Equal("int", tree.Text(block.Parameters[0].Type.Span));
        Assert.Equal("route im2col(3, 1, 1) [ linear(out) ] col2im", tree.Text(block.ExpressionBody!.Span));

        var route = Assert.IsType<RouteSyntax>(block.ExpressionBody);
        Assert.Equal("im2col(3, 1, 1)", tree.Text(route.Pre.Span));
        Assert.Equal("linear(out)", tree.Text(route.Inner.Span));
        Assert.Equal("col2im", tree.Text(route.Post.Span));

        var model = Assert.IsType<ModelDeclarationSyntax>(tree.Root.Declarations[1]);
        Assert.StartsWith("model M(B: batch) {", tree.Text(model.Span), StringComparison.Ordinal);
        Assert.EndsWith("}", tree.Text(model.Span), StringComparison.Ordinal);
        Assert.Equal("input x: f32[B, 8];", tree.Text(model.Statements[0].Span));
        Assert.Equal("f32[B, 8]", tree.Text(Assert.IsType<InputStatementSyntax>(model.Statements[0]).Type.Span));
        Assert.Equal("output y = (a + b * c)(x);", tree.Text(model.Statements[1].Span));
    }

    [Fact]
    public void Expressions()
    {
        var tree = ParseValid(Source);
        var output = Assert.IsType<OutputStatementSyntax>(((ModelDeclarationSyntax)tree.Root.Declarations[1]).Statements[1]);
        var call = Assert.IsType<CallSyntax>(output.Value);
        Assert.Equal("(a + b * c)(x)", tree.Text(call.Span));
        Assert.Equal("x", tree.Text(Assert.Single(call.Arguments).Span));
        var paren = Assert.IsType<ParenthesizedSyntax>(call.Callee);
        Assert.Equal("(a + b * c)", tree.Text(paren.Span));
        var sum = Assert.IsType<BinarySyntax>(paren.Inner);
        Assert.Equal("a + b * c", tree.Text(sum.Span));
        Assert.Equal("+", tree.Text(sum.OperatorSpan));
        var product = Assert.IsType<BinarySyntax>(sum.Right);
        Assert.Equal("b * c", tree.Text(product.Span));
        Assert.Equal("*", tree.Text(product.OperatorSpan));
        Assert.Equal(new LinePosition(6, 23), tree.Source.GetLinePosition(product.OperatorSpan.Start));
    }

    [Fact]
    public void NamedArgumentsMembersAndIndexes()
    {
        var tree = ParseValid("const e = f(x.shape[1], n = -g(2) >> h);");
        var call = Assert.IsType<CallSyntax>(Assert.IsType<ConstDeclarationSyntax>(Assert.Single(tree.Root.Declarations)).Value);
        Assert.Equal(["x.shape[1]", "n = -g(2) >> h"], call.Arguments.Select(a => tree.Text(a.Span)));
        var index = Assert.IsType<IndexSyntax>(call.Arguments[0].Value);
        Assert.Equal("x.shape", tree.Text(index.Target.Span));
        var member = Assert.IsType<MemberSyntax>(index.Target);
        Assert.Equal("shape", tree.Text(member.Member.Span));
        Assert.Equal("n", tree.Text(call.Arguments[1].Name!.Span));
        var sequence = Assert.IsType<SequenceSyntax>(call.Arguments[1].Value);
        Assert.Equal("-g(2) >> h", tree.Text(sequence.Span));
        Assert.Equal("-g(2)", tree.Text(sequence.First.Span));
    }

    [Fact]
    public void BranchesAndLists()
    {
        var tree = ParseValid("const e = branch clone(2) [ a, [1, 2] ] merge concat(1);");
        var branch = Assert.IsType<BranchSyntax>(Assert.IsType<ConstDeclarationSyntax>(Assert.Single(tree.Root.Declarations)).Value);
        Assert.Equal("branch clone(2) [ a, [1, 2] ] merge concat(1)", tree.Text(branch.Span));
        Assert.Equal("clone(2)", tree.Text(branch.Splitter.Span));
        Assert.Equal(["a", "[1, 2]"], branch.Branches.Select(b => tree.Text(b.Span)));
        Assert.Equal("concat(1)", tree.Text(branch.Merge.Span));
    }

    [Fact]
    public void StatementsInsideIf()
    {
        var text = "block b(x: tensor) {\n    if n == 0 {\n        return x;\n    } else {\n        let y = x;\n    }\n}";
        var tree = ParseValid(text);
        var statement = Assert.IsType<IfStatementSyntax>(Assert.Single(Assert.IsType<BlockDeclarationSyntax>(Assert.Single(tree.Root.Declarations)).StatementBody));
        Assert.StartsWith("if n == 0 {", tree.Text(statement.Span), StringComparison.Ordinal);
        Assert.EndsWith("let y = x;\n    }", tree.Text(statement.Span), StringComparison.Ordinal);
        Assert.Equal("n == 0", tree.Text(statement.Condition.Span));
        Assert.Equal("return x;", tree.Text(Assert.Single(statement.Then).Span));
        Assert.Equal("let y = x;", tree.Text(Assert.Single(statement.Else!.Value).Span));
        Assert.Equal(new LinePosition(3, 9), tree.Source.GetLinePosition(statement.Then[0].Span.Start));
    }

    [Fact]
    public void EveryNodeOfTheExamplesLiesInsideItsParent()
    {
        var files = Directory.GetFiles(RepositoryPaths.Get("examples"), "*.mdl", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(RepositoryPaths.Get("stdlib"), "*.mdl"));
        foreach (var file in files)
        {
            var tree = ParseValid(File.ReadAllText(file));
            foreach (var declaration in tree.Root.Declarations)
            {
                CheckNested(declaration, tree.Root.Span, file);
            }
        }
    }

    // Walks the records' properties: every child node's span is inside its parent's.
    private static void CheckNested(SyntaxNode node, TextSpan parent, string file)
    {
        Assert.True(node.Span.Start >= parent.Start && node.Span.End <= parent.End, $"{file}: {node.GetType().Name} {node.Span} outside {parent}");
        Assert.True(node.Span.Length > 0, $"{file}: {node.GetType().Name} has an empty span");
        foreach (var property in node.GetType().GetProperties())
        {
            switch (property.GetValue(node))
            {
                case SyntaxNode child:
                    CheckNested(child, node.Span, file);
                    break;
                case System.Collections.IEnumerable children and not string:
                    foreach (var child in children.OfType<SyntaxNode>())
                    {
                        CheckNested(child, node.Span, file);
                    }
                    break;
            }
        }
    }
}
