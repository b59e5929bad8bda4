using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using ModelC.Compiler.IR;
using ModelC.Compiler.Passes.Optimizers;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Runtime.Manifest;

namespace ModelC.Compiler.Passes;

/// <summary>
/// The ordered graph passes between elaboration and the backend. Each pass's result is checked
/// by <see cref="GraphVerifier"/> before the next runs, so a broken pass is caught and named
/// where it broke the graph; the run records every pass's node count and time and can show the
/// graph after each to an observer (<c>modelc ir --after</c>, <c>--passes</c>).
/// </summary>
public static class GraphPipeline
{
    /// <summary>The label of the graph as it enters the pipeline, for <c>modelc ir --after</c>.</summary>
    public const string Elaborated = "elaborated";

    /// <summary>The passes that tidy any graph without changing what it computes: <c>cse</c>, <c>simplify</c>, <c>dce</c>.</summary>
    public static ImmutableArray<IGraphPass> Cleanup { get; } =
        [new CommonSubexpressionElimination(), new AlgebraicSimplification(), new DeadCodeElimination()];

    /// <summary>
    /// The last passes, on the graph the backend gets: <c>cse</c>, <c>fold-conv</c> (folds of
    /// contractions become convolutions: the same sums, reassociated), <c>simplify</c>,
    /// <c>gemm-layout</c> (contractions in batched-GEMM output order, after simplify so that no
    /// rule folds its permutes back), <c>dce</c>. Autodiff runs before them, so it
    /// differentiates folds, not their rewrite.
    /// </summary>
    public static ImmutableArray<IGraphPass> Lowering { get; } =
        [new CommonSubexpressionElimination(), new FoldAsConvolution(), new AlgebraicSimplification(), new GemmShapedContractions(), new DeadCodeElimination()];

    /// <summary>
    /// The passes for this model in order. Inference (and evaluation, and a training graph
    /// without a loss): <see cref="Lowering"/>. Training with a loss: <see cref="Cleanup"/>, then
    /// <see cref="TrainStepPasses"/> under the optimizer of <paramref name="options"/>, else the
    /// model's declared one, else <see cref="OptimizerSettings.Default"/>.
    /// </summary>
    public static ImmutableArray<IGraphPass> PassesFor(ElaboratedModel model, PipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return OptimizerFor(model, options) is { } optimizer ? [.. Cleanup, .. TrainStepPasses(optimizer)] : Lowering;
    }

    /// <summary>
    /// The passes that turn a forward graph with a loss into its train step: reverse-mode
    /// autodiff, the train-step construction under <paramref name="optimizer"/>, and <see cref="Lowering"/>.
    /// </summary>
    public static ImmutableArray<IGraphPass> TrainStepPasses(OptimizerSpec optimizer) =>
        [new ReverseModePass(), new TrainStepConstruction(optimizer), .. Lowering];

    /// <summary>Runs <see cref="PassesFor"/> on the model's graph.</summary>
    /// <exception cref="InvalidGraphException">A pass left an invalid graph (a compiler bug).</exception>
    public static PipelineResult Run(ElaboratedModel model, PipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var result = Run(model.Graph, PassesFor(model, options), options?.AfterPass);
        return OptimizerFor(model, options) is { } optimizer ? result with { Training = TrainStep.Spec(optimizer) } : result;
    }

    /// <summary>
    /// Runs <paramref name="passes"/> in order on <paramref name="graph"/>, verifying each
    /// result and showing it to <paramref name="afterPass"/>. The result has no training spec.
    /// </summary>
    /// <exception cref="InvalidGraphException">The graph, or a pass's result, is invalid.</exception>
    public static PipelineResult Run(Graph graph, IEnumerable<IGraphPass> passes, Action<PassRecord, Graph>? afterPass = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(passes);
        var list = passes.ToImmutableArray();
        Verify(graph, Elaborated);
        var labels = Labels(list);
        var records = ImmutableArray.CreateBuilder<PassRecord>(list.Length);
        for (var i = 0; i < list.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            graph = list[i].Run(graph);
            var record = new PassRecord(labels[i], graph.Nodes.Length, clock.Elapsed);
            Verify(graph, labels[i]);
            records.Add(record);
            afterPass?.Invoke(record, graph);
        }
        return new PipelineResult(graph, null, records.MoveToImmutable());
    }

    /// <summary>
    /// The label of each pass: its name, and for the second and later runs of the same name
    /// <c>name.2</c>, <c>name.3</c>, … so that every label names one point of the pipeline.
    /// </summary>
    public static ImmutableArray<string> Labels(IEnumerable<IGraphPass> passes)
    {
        ArgumentNullException.ThrowIfNull(passes);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return [.. passes.Select(pass =>
        {
            var count = seen[pass.Name] = seen.GetValueOrDefault(pass.Name) + 1;
            return count == 1 ? pass.Name : pass.Name + "." + count.ToString(CultureInfo.InvariantCulture);
        })];
    }

    // The optimizer of the model's train step, or null when the model compiles to no train step.
    private static OptimizerSpec? OptimizerFor(ElaboratedModel model, PipelineOptions? options) =>
        model.Mode == ExecutionMode.Training && model.Graph.Loss is not null
            ? options?.Optimizer ?? OptimizerSettings.From(model.Optimizer)
            : null;

    private static void Verify(Graph graph, string pass)
    {
        var violations = GraphVerifier.Verify(graph);
        if (!violations.IsEmpty)
        {
            throw new InvalidGraphException(pass, graph.Name, violations);
        }
    }
}
