using System.Text;
using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Passes;
using ModelC.Compiler.Semantics.Elaboration;

namespace ModelC.Backend.Tests;

/// <summary>
/// The fusion plan of every example model — its inference graph, and the train step of a model
/// with a loss, both after the pass pipeline — pinned in FusionPlans/<c>Model.mode.plan</c>: the
/// kernel count, then one line per kernel in order with the ops it computes (a contraction with
/// its epilogue as <c>contract+add+max</c>; a multi-output kernel's further results on lines of their
/// own starting <c>&amp;</c>), the result type and the layer, then the count of kernels that copy
/// into results and of those that sum a GEMM's depth chunks. Losing a fusion or an
/// epilogue adds kernels and changes lines, and fails here. After an intended change, rewrite the
/// files with <c>MODELC_UPDATE_GOLDEN=1 dotnet test tests/ModelC.Backend.Tests --filter FusionPlanGoldenTests</c>
/// and review the diff.
/// </summary>
public sealed class FusionPlanGoldenTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, ExampleCase>> AllCases = new(FindCases);

    private static string Folder => RepositoryPaths.Get("tests", "ModelC.Backend.Tests", "FusionPlans");

    /// <summary>One row per model and compiled graph, e.g. <c>Mlp.train-step</c>.</summary>
    public static TheoryData<string> Cases() => [.. AllCases.Value.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public void PlanMatchesGolden(string name)
    {
        var planned = Describe(name, GraphPipeline.Run(AllCases.Value[name].Elaborate()).Graph);

        var golden = Path.Combine(Folder, name + ".plan");
        if (System.Environment.GetEnvironmentVariable("MODELC_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, planned);
        }
        Assert.True(File.Exists(golden), $"missing {golden}; run with MODELC_UPDATE_GOLDEN=1 to create it");
        var expected = File.ReadAllText(golden);
        Assert.True(expected == planned, FirstDifference(name, expected, planned));
    }

    /// <summary>Every example model has its cases, and every golden file belongs to one.</summary>
    [Fact]
    public void GoldensMatchTheExamples()
    {
        var files = Directory.GetFiles(Folder, "*.plan").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(AllCases.Value.Keys.Order(StringComparer.Ordinal), files);
        Assert.Equal(
            Directory.GetFiles(RepositoryPaths.Get("examples"), "*.mdl", SearchOption.AllDirectories).Length,
            AllCases.Value.Values.Select(c => c.File).Distinct().Count());
    }

    // The plan as the golden files hold it.
    private static string Describe(string name, Graph graph)
    {
        var plan = FusionPlanner.Plan(graph);
        var program = ProgramBuilder.Build(graph).Kernels;
        var kernels = program.Length;
        // A GEMM whose depth is cut into chunks writes partial products [chunks, result dims…],
        // which the map kernel after it sums.
        var sums = program.Zip(program.Skip(1)).Count(p => p.First is GemmKernel { Output.IsTemporary: true, Epilogue: Accumulator } gemm
            && p.Second is MapKernel sum && sum.Reads.Contains(gemm.Output) && gemm.Output.Shape.Skip(1).SequenceEqual(sum.Output.Shape));
        var text = new StringBuilder($"# {name}: {kernels} kernels\n");
        foreach (var node in graph.Nodes.Where(n => plan.Materialized.Contains(n) && n.Op.FusionPattern != FusionPattern.Opaque))
        {
            // A multi-output kernel's results, where it runs (at its last one): the first, then "& " and the others.
            var siblings = plan.SiblingsOf(node);
            if (siblings is not null && !ReferenceEquals(siblings[^1], node))
            {
                continue;
            }
            foreach (var (result, i) in (siblings ?? [node]).Select((n, i) => (n, i)))
            {
                var ops = plan.ContractionOf(result) is { } contraction ? Chain(graph, contraction, result) : result.Op.Mnemonic;
                var line = $"{(i > 0 ? "& " : "")}{ops} : {result.Type}{(plan.Materialized.Contains(result) ? "" : " (value only)")}";
                text.Append(line.PadRight(48)).Append(" # ").Append(result.Scope ?? "-").Append('\n');
            }
        }
        var copies = kernels - sums - plan.Materialized.Count(n => n.Op.FusionPattern != FusionPattern.Opaque) + plan.Siblings.Sum(g => g.Count(plan.Materialized.Contains) - 1);
        if (copies > 0)
        {
            text.Append($"# and {copies} copies into results\n");
        }
        if (sums > 0)
        {
            text.Append($"# and {sums} sums of depth chunks\n");
        }
        return text.ToString();
    }

    // contract+add+max: the contraction and the epilogue ops that follow it up to the root.
    private static string Chain(Graph graph, Node contraction, Node root)
    {
        var ops = new List<string> { contraction.Op.Mnemonic };
        for (var node = contraction; !ReferenceEquals(node, root);)
        {
            node = graph.Nodes.First(n => n.Inputs.Contains(node));
            ops.Add(node.Op.Mnemonic);
        }
        return string.Join("+", ops);
    }

    // The header lines (kernel counts) of both, then the first kernel line that differs.
    private static string FirstDifference(string name, string expected, string planned)
    {
        var (a, b) = (expected.Split('\n'), planned.Split('\n'));
        var line = Enumerable.Range(1, Math.Min(a.Length, b.Length) - 1).FirstOrDefault(i => a[i] != b[i], Math.Min(a.Length, b.Length));
        return $"the fusion plan of {name} changed:\n"
            + $"  golden:  {a[0]}\n  planned: {b[0]}\nfirst different line, {line + 1}:\n"
            + $"  golden:  {(line < a.Length ? a[line] : "(end)")}\n"
            + $"  planned: {(line < b.Length ? b[line] : "(end)")}\n"
            + "If the change is intended, rewrite the goldens with MODELC_UPDATE_GOLDEN=1 and review the diff.";
    }

    private static Dictionary<string, ExampleCase> FindCases()
    {
        var cases = new Dictionary<string, ExampleCase>(StringComparer.Ordinal);
        foreach (var (file, model) in ExampleCase.ExampleModels())
        {
            cases.Add($"{model.Name}.inference", new ExampleCase(file, model.Name, ExecutionMode.Inference, null));
            if (model.HasLoss)
            {
                cases.Add($"{model.Name}.train-step", new ExampleCase(file, model.Name, ExecutionMode.Training, null));
            }
        }
        return cases;
    }
}
