using ModelC.Compiler.Syntax;
using static ModelC.Compiler.Tests.Syntax.ParseHelpers;

namespace ModelC.Compiler.Tests.Syntax;

/// <summary>Imports, constants, blocks (point-free and dataflow), models, parameters, types and documentation.</summary>
public sealed class DeclarationParsingTests
{
    [Fact]
    public void ModuleImports()
    {
        var tree = ParseValid("import std.nn;\nimport std.einspace;\nimport a.b.c;\nimport single;");
        Assert.Empty(tree.Root.Declarations);
        var imports = tree.Root.Imports.Select(i => Assert.IsType<ModuleImportSyntax>(i)).ToList();
        Assert.Equal(["std.nn", "std.einspace", "a.b.c", "single"], imports.Select(i => i.DottedName));
        Assert.Equal(["std", "nn"], imports[0].Parts.Select(p => p.Name));
        Assert.Equal("import std.nn;", tree.Text(imports[0].Span));
        Assert.Equal("std.nn", tree.Text(imports[0].TargetSpan));
        Assert.Equal("nn", tree.Text(imports[0].Parts[1].Span));
        Assert.Equal(3, imports[2].Parts.Length);
    }

    [Fact]
    public void PathImports()
    {
        var tree = ParseValid("import \"layers/attention.mdl\";\nimport \"../a b\\\\c.mdl\";");
        var imports = tree.Root.Imports.Select(i => Assert.IsType<PathImportSyntax>(i)).ToList();
        Assert.Equal("layers/attention.mdl", imports[0].Path);
        Assert.Equal("../a b\\c.mdl", imports[1].Path);
        Assert.Equal("import \"layers/attention.mdl\";", tree.Text(imports[0].Span));
        Assert.Equal("\"layers/attention.mdl\"", tree.Text(imports[0].TargetSpan));
    }

    [Fact]
    public void ImportsAndDeclarationsMayInterleave()
    {
        var tree = ParseValid("const a = 1;\nimport std.nn;\nblock b = relu;\nimport \"x.mdl\";");
        Assert.Equal(2, tree.Root.Imports.Length);
        Assert.Equal(["a", "b"], tree.Root.Declarations.Select(d => d.Name.Name));
        Assert.Equal(0, tree.Root.Span.Start);
        Assert.Equal(tree.Source.Content.Length, tree.Root.Span.End);
    }

    [Fact]
    public void Constants()
    {
        var plain = Single<ConstDeclarationSyntax>("const n = 4;");
        Assert.Equal("n", plain.Name.Name);
        Assert.Null(plain.Type);
        Assert.Equal(4, Assert.IsType<IntLiteralSyntax>(plain.Value).Value);

        var typed = Single<ConstDeclarationSyntax>("const widths: int[] = [512, 512, 10];");
        Assert.Equal("(const widths: int[] = [512 512 10])", SyntaxShape.Print(typed));
        Assert.NotNull(typed.Type!.Dimensions);
        Assert.Empty(typed.Type.Dimensions!.Value);

        Assert.Equal("(const lr: float = 1e-3)", SyntaxShape.Print(Single<ConstDeclarationSyntax>("const lr: float = 1e-3;")));
        Assert.Equal("(const d = (* 2 n))", SyntaxShape.Print(Single<ConstDeclarationSyntax>("const d = 2 * n;")));
    }

    [Fact]
    public void PointFreeBlocks()
    {
        var conv = Single<BlockDeclarationSyntax>("block conv(out: int) = route im2col(3, 1, 1) [ linear(out) ] col2im;");
        Assert.True(conv.IsPointFree);
        Assert.Empty(conv.StatementBody);
        Assert.Equal("(block conv(out: int) = (route (call im2col 3 1 1) (call linear out) col2im))", SyntaxShape.Print(conv));

        var defaults = Single<BlockDeclarationSyntax>("block mlp(widths: int[], act: block = relu, w: float = 1.0,) = linear(widths[0]) >> act;");
        Assert.Equal(["widths: int[]", "act: block = relu", "w: float = 1.0"], defaults.Parameters.Select(SyntaxShape.Print));
        Assert.Equal("block", defaults.Parameters[1].Type.Name.Name);
    }

    [Fact]
    public void BlocksWithoutParentheses()
    {
        var pointFree = Single<BlockDeclarationSyntax>("block stem = conv(64) >> relu;");
        Assert.True(pointFree.IsPointFree);
        Assert.Empty(pointFree.Parameters);
        Assert.Equal("(block stem() = (>> (call conv 64) relu))", SyntaxShape.Print(pointFree));

        var empty = Single<BlockDeclarationSyntax>("block stem() = relu;");
        Assert.Empty(empty.Parameters);

        var dataflow = Single<BlockDeclarationSyntax>("block body { return relu; }");
        Assert.False(dataflow.IsPointFree);
        Assert.Null(dataflow.ExpressionBody);
        Assert.Equal("(block body() {(return relu)})", SyntaxShape.Print(dataflow));
    }

    [Fact]
    public void DataflowBlocks()
    {
        var block = Single<BlockDeclarationSyntax>(
            "block smooth(f: tensor, u: tensor, c: int, bc: padding = zeros) {\n" +
            "    let residual = f - smoother(f.channels, bc)(u);\n" +
            "    return u + smoother(c, bc)(residual);\n" +
            "}");
        Assert.False(block.IsPointFree);
        Assert.Equal(["f: tensor", "u: tensor", "c: int", "bc: padding = zeros"], block.Parameters.Select(SyntaxShape.Print));
        Assert.Equal(
            "{(let residual (- f (call (call smoother (. f channels) bc) u))) (return (+ u (call (call smoother c bc) residual)))}",
            SyntaxShape.Print(block.StatementBody));

        Assert.Empty(Single<BlockDeclarationSyntax>("block nothing(x: tensor) { }").StatementBody);
    }

    [Fact]
    public void Models()
    {
        var model = Single<ModelDeclarationSyntax>(
            "model Mlp(B: batch, classes: int = 10) {\n" +
            "    input  x: f32[B, 784];\n" +
            "    input  y: i32[B];\n" +
            "    output logits = mlp([512, 512, classes])(x);\n" +
            "    loss   cross_entropy(logits, y);\n" +
            "    optimizer adamw(lr = 1e-3, weight_decay = 0.01);\n" +
            "}");
        Assert.Equal("Mlp", model.Name.Name);
        Assert.Equal(["B: batch", "classes: int = 10"], model.Parameters.Select(SyntaxShape.Print));
        Assert.Equal(
            [
                "(input x f32[B, 784])",
                "(input y i32[B])",
                "(output logits (call (call mlp [512 512 classes]) x))",
                "(loss (call cross_entropy logits y))",
                "(optimizer (call adamw lr=1e-3 weight_decay=0.01))",
            ],
            model.Statements.Select(SyntaxShape.Print));

        Assert.Empty(Single<ModelDeclarationSyntax>("model Empty { }").Parameters);
        Assert.Empty(Single<ModelDeclarationSyntax>("model Empty() { }").Statements);
    }

    [Fact]
    public void TypesAreNamesListsOrTensors()
    {
        var block = Single<BlockDeclarationSyntax>("block b(a: int, b: int[], c: f32[B, 3 * n, 32], d: block, e: tensor, f: f32[]) = relu;");
        var types = block.Parameters.Select(p => p.Type).ToList();
        Assert.Null(types[0].Dimensions);
        Assert.Empty(types[1].Dimensions!.Value);
        Assert.Equal(["B", "(* 3 n)", "32"], types[2].Dimensions!.Value.Select(SyntaxShape.Print));
        Assert.Equal("block", types[3].Name.Name);
        Assert.Equal("tensor", types[4].Name.Name);
        Assert.Equal("f32[]", SyntaxShape.Print(types[5]));
    }

    [Fact]
    public void SeveralDeclarationsKeepSourceOrder()
    {
        var tree = ParseValid("const a = 1;\nblock b = relu;\nmodel C { }\nblock d(x: tensor) { return x; }\nconst e = 2;");
        Assert.Equal(["a", "b", "C", "d", "e"], tree.Root.Declarations.Select(d => d.Name.Name));
        Assert.Equal(
            [typeof(ConstDeclarationSyntax), typeof(BlockDeclarationSyntax), typeof(ModelDeclarationSyntax), typeof(BlockDeclarationSyntax), typeof(ConstDeclarationSyntax)],
            tree.Root.Declarations.Select(d => d.GetType()));
    }

    [Fact]
    public void DocumentationAttachesToTheFollowingDeclaration()
    {
        var tree = ParseValid(
            "/// A constant.\n" +
            "const a = 1;\n" +
            "\n" +
            "/// First line.\n" +
            "///   Indented second line.\n" +
            "///\n" +
            "///No space.\n" +
            "block b = relu;\n" +
            "\n" +
            "// An ordinary comment is not documentation.\n" +
            "block c = relu;\n" +
            "\n" +
            "/// Documented model.   \n" +
            "// an ordinary comment between\n" +
            "model D { }\n" +
            "/// Dangling at the end.\n");
        var docs = tree.Root.Declarations.Select(d => d.Documentation).ToList();
        Assert.Equal("A constant.", docs[0]);
        Assert.Equal("First line.\n  Indented second line.\n\nNo space.", docs[1]);
        Assert.Null(docs[2]);
        Assert.Equal("Documented model.", docs[3]);
    }

    [Fact]
    public void DocumentationBeforeAnImportIsNotCarriedPastIt()
    {
        var tree = ParseValid("/// About the import.\nimport std.nn;\nblock b = relu;");
        Assert.Null(Assert.Single(tree.Root.Declarations).Documentation);
    }

    [Fact]
    public void DocumentationOnlyCoversItsOwnDeclaration()
    {
        var tree = ParseValid("/// One.\nconst a = 1; /// Two.\nconst b = 2;\nconst c = 3;");
        Assert.Equal(["One.", "Two.", null], tree.Root.Declarations.Select(d => d.Documentation));
    }

    [Fact]
    public void DocumentationInsideABodyIsIgnored()
    {
        var block = Single<BlockDeclarationSyntax>("block b(x: tensor) {\n    /// not a declaration\n    return x;\n}");
        Assert.Null(block.Documentation);
        Assert.Single(block.StatementBody);
    }

    [Fact]
    public void EveryExampleAndStdlibFileParsesWithoutDiagnostics()
    {
        var files = Directory.GetFiles(RepositoryPaths.Get("examples"), "*.mdl", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(RepositoryPaths.Get("stdlib"), "*.mdl"));
        foreach (var file in files)
        {
            var tree = Parse(File.ReadAllText(file));
            Assert.True(tree.IsValid, file + "\n" + string.Join("\n", tree.Diagnostics));
            Assert.NotEmpty(tree.Root.Declarations);
        }
    }
}
