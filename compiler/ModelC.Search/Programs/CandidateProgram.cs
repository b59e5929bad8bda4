using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ModelC.Compiler.Syntax;
using ModelC.Search.Space;

namespace ModelC.Search.Programs;

/// <summary>
/// A sampled architecture as a complete, trainable <c>.mdl</c> program: the architecture as a
/// block, and a model that applies it to the task's input, pools it (image: over H and W;
/// tokens: over S), maps it to the classes and trains it with cross-entropy.
/// </summary>
public sealed class CandidateProgram
{
    /// <summary>The model's name in every candidate.</summary>
    public const string ModelName = "Candidate";

    /// <summary>The block's name in every candidate.</summary>
    public const string BlockName = "architecture";

    private CandidateProgram(ArchitectureNode architecture, string expression, string source)
    {
        Architecture = architecture;
        Expression = expression;
        Source = source;
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(expression)))[..12];
    }

    /// <summary>The derivation.</summary>
    public ArchitectureNode Architecture { get; }

    /// <summary>The architecture alone as source (one line or several).</summary>
    public string Expression { get; }

    /// <summary>The whole program.</summary>
    public string Source { get; }

    /// <summary>The first 12 hex digits of the SHA-256 of <see cref="Expression"/>: equal architectures have equal hashes.</summary>
    public string Hash { get; }

    /// <summary>The program of <paramref name="architecture"/> for <paramref name="task"/>, trained by <paramref name="recipe"/>.</summary>
    public static CandidateProgram Of(ArchitectureNode architecture, TaskSignature task, TrainingRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipe);
        var expression = ArchitectureSyntax.Of(architecture);
        var text = SyntaxPrinter.Print(expression);
        var hash = new CandidateProgram(architecture, text, "").Hash;
        var documentation = $"einspace candidate {hash}: {architecture.Parameters.ToString("N0", CultureInfo.InvariantCulture)} parameters "
            + $"and {architecture.Macs.ToString("N0", CultureInfo.InvariantCulture)} multiply-accumulates per sample before the head.";
        var block = new BlockDeclarationSyntax(Identifier(BlockName), [], expression, [], documentation, default);
        var model = new ModelDeclarationSyntax(Identifier(ModelName), [new ParameterSyntax(Identifier("B"), new TypeSyntax(Identifier("batch"), null, default), null, default)],
            [
                new InputStatementSyntax(Identifier(task.Input), Tensor("f32", [ArchitectureSyntax.Name("B"), .. task.InputDims.Select(d => new IntLiteralSyntax(d, default))]), default),
                new InputStatementSyntax(Identifier(task.Label), Tensor("i32", [ArchitectureSyntax.Name("B")]), default),
                new OutputStatementSyntax(Identifier("logits"), null, new CallSyntax(new ParenthesizedSyntax(Network(architecture, task), default), [Argument(null, ArchitectureSyntax.Name(task.Input))], default), default),
                new LossStatementSyntax(new CallSyntax(ArchitectureSyntax.Name("cross_entropy"), [Argument(null, ArchitectureSyntax.Name("logits")), Argument(null, ArchitectureSyntax.Name(task.Label))], default), default),
                new OptimizerStatementSyntax(new CallSyntax(ArchitectureSyntax.Name(recipe.Optimizer),
                    [Argument("lr", new FloatLiteralSyntax(recipe.LearningRate, default)), Argument("schedule", ArchitectureSyntax.Name(recipe.Schedule))], default), default),
            ],
            $"The architecture trained on {task.Input} → {task.Classes} classes.", default);
        var unit = new CompilationUnitSyntax([], [block, model], default);
        return new CandidateProgram(architecture, text, SyntaxPrinter.Print(unit));
    }

    // stem >> architecture >> pooling >> linear(classes)
    private static ExpressionSyntax Network(ArchitectureNode architecture, TaskSignature task)
    {
        var parts = new List<ExpressionSyntax>();
        if (task.InputDims.Length == 1)
        {
            parts.Add(ArchitectureSyntax.Call("reshape", [1, task.InputDims[0]]));
        }
        parts.Add(ArchitectureSyntax.Name(BlockName));
        parts.Add(architecture.Output.IsImage ? ArchitectureSyntax.Name("global_avg_pool") : ArchitectureSyntax.Call("mean", [1]));
        parts.Add(ArchitectureSyntax.Call("linear", [task.Classes]));
        return parts.Aggregate((a, b) => new SequenceSyntax(a, b, default));
    }

    private static IdentifierSyntax Identifier(string name) => new(name, default);

    private static TypeSyntax Tensor(string element, IEnumerable<ExpressionSyntax> dims) => new(Identifier(element), [.. dims], default);

    private static ArgumentSyntax Argument(string? name, ExpressionSyntax value) => new(name is null ? null : Identifier(name), value, default);
}
