using System.Collections.Immutable;
using ModelC.Compiler.Syntax;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Tests.Fuzz;

/// <summary>
/// Random syntax trees of every node kind, built directly rather than parsed: what a tool
/// generating source hands to <see cref="SyntaxPrinter"/>. The trees are syntactically valid
/// (names, literals and documentation as the parser would produce them: no negative literals,
/// no <see cref="ParenthesizedSyntax"/>, so every parenthesis in the printed text is the
/// printer's) but mean nothing; spans are empty.
/// </summary>
internal sealed class SyntaxTreeGenerator(FuzzRandom random)
{
    private const int MaxDepth = 5;

    // Names, some starting with a keyword or a literal's letters, to test that they lex as names.
    private static readonly string[] Names =
    [
        "x", "y", "relu", "linear", "a_1", "_b", "B", "Model", "iff", "letter", "branches", "merged", "true_", "falsey",
        "import2", "e", "e1", "E5", "_", "__9", "input_", "route_map", "blocks", "std", "nn",
    ];

    private static readonly string[] TypeNames = ["int", "float", "bool", "tensor", "block", "optimizer", "f32", "i32", "padding", "batch"];

    private static readonly double[] Floats =
    [
        0.0, 0.5, 1.0, 2.0, 0.1, 1e-3, 1.5e-3, 3e-4, 1.0 / 3, 2.5e20, 1e15, 1e16, 123456.789, 1e-7, 5e-324, double.Epsilon,
        double.MaxValue, 100.0, 1e21, 0.05,
    ];

    private static readonly string[] StringParts = ["", "a", " ", "\"", "\\", "\n", "\t", "\r", "λ", "//", "/*", "*/", "\\n", "'", "\u0001"];

    private static readonly BinaryOperator[] BinaryOperators = Enum.GetValues<BinaryOperator>();

    /// <summary>A file of imports and declarations.</summary>
    public CompilationUnitSyntax Unit() =>
        new([.. Many(0, 3, Import)], [.. Many(1, 4, Declaration)], default);

    private ImportSyntax Import() =>
        random.Chance(50)
            ? new ModuleImportSyntax([.. Many(1, 3, Identifier)], default, default)
            : new PathImportSyntax(String(), default, default);

    private DeclarationSyntax Declaration()
    {
        var documentation = random.Chance(40) ? Documentation() : null;
        return random.Next(4) switch
        {
            0 => new BlockDeclarationSyntax(Identifier(), Parameters(), Expression(0), [], documentation, default),
            1 => new BlockDeclarationSyntax(Identifier(), Parameters(), null, Statements(0), documentation, default),
            2 => new ModelDeclarationSyntax(Identifier(), Parameters(), Statements(0), documentation, default),
            _ => new ConstDeclarationSyntax(Identifier(), random.Chance(50) ? Type() : null, Expression(0), documentation, default),
        };
    }

    // As the parser reads `///` lines: one leading space dropped, the end trimmed, empty lines kept.
    private string Documentation() =>
        string.Join('\n', Many(1, 4, () => random.Pick(["", "Doc.", "  indented", "x + y // not a comment", "/// nested", "trailing  spaces  ", "λ"])))
            .TrimEnd();

    private ImmutableArray<ParameterSyntax> Parameters() =>
        [.. Many(0, 3, () => new ParameterSyntax(Identifier(), Type(), random.Chance(30) ? Expression(MaxDepth - 1) : null, default))];

    private TypeSyntax Type()
    {
        ImmutableArray<ExpressionSyntax>? dimensions = random.Next(3) switch
        {
            0 => null,
            1 => [],
            _ => [.. Many(1, 3, () => Expression(MaxDepth - 1))],
        };
        return new TypeSyntax(new IdentifierSyntax(random.Pick(TypeNames), default), dimensions, default);
    }

    private ImmutableArray<StatementSyntax> Statements(int depth) => [.. Many(0, depth == 0 ? 5 : 2, () => Statement(depth + 1))];

    private StatementSyntax Statement(int depth) => random.Next(depth < MaxDepth - 2 ? 9 : 8) switch
    {
        0 => new LetStatementSyntax(Identifier(), Expression(depth), default),
        1 => new ReturnStatementSyntax(Expression(depth), default),
        2 => new InputStatementSyntax(Identifier(), Type(), default),
        3 => new OutputStatementSyntax(Identifier(), random.Chance(50) ? Type() : null, Expression(depth), default),
        4 => new LossStatementSyntax(Expression(depth), default),
        5 => new OptimizerStatementSyntax(Expression(depth), default),
        6 or 7 => new AssertStatementSyntax(Expression(depth), random.Chance(50) ? String() : null, default),
        _ => If(depth),
    };

    private IfStatementSyntax If(int depth)
    {
        ImmutableArray<StatementSyntax>? otherwise = random.Next(3) switch
        {
            0 => null,
            1 => Statements(depth),
            _ => [If(depth + 1)],
        };
        return new IfStatementSyntax(Expression(depth), Statements(depth), otherwise, default);
    }

    // An index or, one time in three, a slice with each part present or not.
    private ExpressionSyntax Subscript(int depth) => random.Chance(33)
        ? new SliceSyntax(SlicePart(depth), SlicePart(depth), SlicePart(depth), default)
        : Expression(depth);

    private ExpressionSyntax? SlicePart(int depth) => random.Chance(50) ? Expression(depth) : null;

    private ExpressionSyntax Expression(int depth)
    {
        if (depth >= MaxDepth || random.Chance(30))
        {
            return Leaf();
        }
        var next = depth + 1;
        return random.Next(11) switch
        {
            0 => new CallSyntax(Expression(next), Arguments(next), default),
            1 => new MemberSyntax(Expression(next), Identifier(), default),
            2 => new IndexSyntax(Expression(next), [.. Many(1, 3, () => Subscript(next))], default),
            3 => new UnarySyntax(random.Chance(50) ? UnaryOperator.Negate : UnaryOperator.Not, Expression(next), default),
            4 or 5 => new BinarySyntax(random.Pick(BinaryOperators), Expression(next), Expression(next), default, default),
            6 => new SequenceSyntax(Expression(next), Expression(next), default),
            7 => new ConditionalSyntax(Expression(next), Expression(next), Expression(next), default),
            8 => new ListSyntax([.. Many(0, 3, () => Expression(next))], default),
            9 => new BranchSyntax(Head(next), [.. Many(1, 3, () => Expression(next))], Head(next), default),
            _ => new RouteSyntax(Head(next), Expression(next), Head(next), default),
        };
    }

    private ExpressionSyntax Leaf() => random.Next(6) switch
    {
        0 => new IntLiteralSyntax(random.Chance(70) ? random.Next(100) : (long)(random.NextUInt64() >> 1), default),
        1 => new FloatLiteralSyntax(random.Chance(70) ? random.Pick(Floats) : RandomFloat(), default),
        2 => new StringLiteralSyntax(String(), default),
        3 => new BoolLiteralSyntax(random.Chance(50), default),
        _ => Name(),
    };

    // A name or a call of a name: the operators of branch and route.
    private ExpressionSyntax Head(int depth) =>
        random.Chance(50) ? Name() : new CallSyntax(Name(), Arguments(depth), default);

    private ImmutableArray<ArgumentSyntax> Arguments(int depth) =>
        [.. Many(0, 3, () => new ArgumentSyntax(random.Chance(30) ? Identifier() : null, Expression(depth), default))];

    private NameSyntax Name() => new(Identifier(), default);

    private IdentifierSyntax Identifier() => new(random.Pick(Names), default);

    private string String() => string.Concat(Many(0, 4, () => random.Pick(StringParts)));

    // A positive finite double with random bits: any exponent, any mantissa.
    private double RandomFloat()
    {
        while (true)
        {
            var value = BitConverter.Int64BitsToDouble((long)(random.NextUInt64() >> 1));
            if (double.IsFinite(value))
            {
                return value;
            }
        }
    }

    private List<T> Many<T>(int min, int max, Func<T> item) => [.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => item())];
}
