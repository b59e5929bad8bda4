using System.Diagnostics;
using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Runtime.Execution;
using ModelC.Search.Programs;
using ModelC.Training;

namespace ModelC.Search.Evaluation;

/// <summary>
/// Trains a candidate natively: compiles its train step and evaluation program for the host CPU
/// (kernels come from the compile cache by content hash when an earlier candidate had them),
/// trains it for the recipe's epochs on one thread with the training library, and measures the
/// validation and test accuracy. Thread-safe: candidates are evaluated in parallel.
/// </summary>
/// <param name="task">The task.</param>
/// <param name="recipe">Optimizer, schedule, epochs and batch.</param>
/// <param name="seed">Seeds the parameters and the sample order: the same for every candidate.</param>
/// <param name="cache">The kernel cache (default: ModelC's cache folder).</param>
public sealed class CandidateEvaluator(SearchTask task, TrainingRecipe recipe, ulong seed, CompileCache? cache = null)
{
    private readonly CompileOptions _compile = new() { Cache = cache ?? CompileCache.Default, Parallelism = 1 };

    /// <summary>The task.</summary>
    public SearchTask Task { get; } = task ?? throw new ArgumentNullException(nameof(task));

    /// <summary>The recipe.</summary>
    public TrainingRecipe Recipe { get; } = recipe ?? throw new ArgumentNullException(nameof(recipe));

    /// <summary>The program of an architecture for this task and recipe.</summary>
    public CandidateProgram Program(Space.ArchitectureNode architecture) => CandidateProgram.Of(architecture, Task.Signature, Recipe);

    /// <summary>
    /// Trains <paramref name="candidate"/>; its session writes into <paramref name="folder"/>.
    /// A candidate whose training diverges gets accuracy 0 and the reason.
    /// </summary>
    /// <exception cref="InvalidOperationException">The candidate does not compile (a sampler bug: it should never happen).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    public CandidateResult Evaluate(CandidateProgram candidate, string folder, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var clock = Stopwatch.StartNew();
        var training = Elaborate(candidate, ExecutionMode.Training);
        var evaluation = Elaborate(candidate, ExecutionMode.Evaluation);
        var compiled = ModelCompiler.CompileAll([training, evaluation], CpuTarget.Host, _compile);
        var compileSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        using var evaluationKernels = compiled[1].Kernels!;
        var options = new ModelOptions(Threads: 1, Seed: seed);
        using var step = new ModelInstance(compiled[0].Manifest, compiled[0].Kernels!, compiled[0].Manifest.Symbols.ToDictionary(s => s, _ => Recipe.Batch), options, ownsKernels: true);
        var parameters = training.Graph.ParameterCount;
        using var session = new TrainingSession(step, Task.Data, new TrainingOptions(Recipe.Epochs, folder) { Seed = seed },
            new EvaluationProgram(compiled[1].Manifest, evaluationKernels, options));
        try
        {
            EpochRecord? last = null;
            for (var epoch = 0; epoch < Recipe.Epochs; epoch++)
            {
                last = session.TrainEpoch(cancellation: cancellation);
            }
            var test = Task.Data.Test is { } testSet ? session.Evaluate(testSet).Accuracy ?? 0 : 0;
            return new CandidateResult(candidate.Hash, parameters, last?.ValidationAccuracy ?? 0, test, compileSeconds, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is TrainingDivergedException or NonFiniteTensorException)
        {
            return new CandidateResult(candidate.Hash, parameters, 0, 0, compileSeconds, clock.Elapsed.TotalSeconds, e.Message);
        }
    }

    private static ElaboratedModel Elaborate(CandidateProgram candidate, ExecutionMode mode) =>
        CandidateCheck.Run(candidate, mode) is { Model: { } model }
            ? model
            : throw new InvalidOperationException($"candidate {candidate.Hash} does not compile: {string.Join("; ", CandidateCheck.Run(candidate, mode).Errors)}");
}
