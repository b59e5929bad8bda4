using ModelC.Backend.Driver;
using ModelC.Backend.Targets;
using ModelC.Cli.Building;
using ModelC.Cli.Progress;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Distributed;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Training;

namespace ModelC.Cli.Commands;

/// <summary>
/// The compiler's part of <c>modelc train</c>: the model's train step, instantiated for the
/// batch, and its evaluation program, compiled together (they share most kernels). In a
/// data-parallel job the train step is two programs, gradients (at the batch divided by the
/// ranks) and update (<see cref="TrainStepParts"/>). Everything after this is the training library's.
/// </summary>
internal sealed class TrainPrograms : IDisposable
{
    private readonly ModelInstance? _fused;
    private readonly TrainStepParts? _parts;
    private readonly IKernelLibrary _evaluationKernels;
    private readonly ModelManifest _evaluationManifest;

    private TrainPrograms(ModelInstance? fused, TrainStepParts? parts, IKernelLibrary evaluationKernels, ModelManifest evaluationManifest)
    {
        _fused = fused;
        _parts = parts;
        _evaluationKernels = evaluationKernels;
        _evaluationManifest = evaluationManifest;
    }

    /// <summary>The instance whose kernels <c>--profile</c> times: the fused train step, or the gradients program.</summary>
    public ModelInstance Profiled => _fused ?? _parts!.Gradients;

    /// <summary>The optimizer and the tensors the host drives.</summary>
    public TrainingSpec Training => _parts?.Training ?? _fused!.Manifest.Training!;

    /// <summary>The kernels of the train step (both programs of a split one).</summary>
    public int KernelCount => _fused?.Manifest.Kernels.Length ?? _parts!.Gradients.Manifest.Kernels.Length + _parts.Update.Manifest.Kernels.Length;

    /// <summary>The trainable scalars: the elements of the train step's parameters.</summary>
    public long ParameterCount
    {
        get
        {
            var instance = _fused ?? _parts!.Gradients;
            return instance.Manifest.TensorsOf(TensorRole.Parameter).Sum(p => instance.ShapeOf(p.Name).Aggregate(1L, (n, d) => checked(n * d)));
        }
    }

    /// <summary>
    /// Compiles <paramref name="training"/> and <paramref name="evaluation"/>; split in two when
    /// <paramref name="ranks"/> is a job of MPI. With a <paramref name="recording"/> (one process
    /// only), each program is linked as a library and kept in it, the train step first, each under
    /// the model's name (as <see cref="Load"/> takes them).
    /// </summary>
    /// <param name="training">The model elaborated for training.</param>
    /// <param name="evaluation">The model elaborated for evaluation.</param>
    /// <param name="batch">The global batch: samples per step, every rank's together.</param>
    /// <param name="target">What the kernels are compiled for (the CPU, or a GPU through ILGPU).</param>
    /// <param name="options">Threads, seed and device of the instances.</param>
    /// <param name="progress">Where the compilation's progress line goes.</param>
    /// <param name="ranks">The job's processes.</param>
    /// <param name="recording">The program cache's recording of this compile, or null.</param>
    /// <exception cref="InvalidOperationException">The model has no loss.</exception>
    public static TrainPrograms Compile(ElaboratedModel training, ElaboratedModel evaluation, int batch, ICompileTarget target, ModelOptions options, TextWriter progress, ICommunicator ranks, RecordingRun? recording)
    {
        var evaluationSource = ModelCompiler.SourceOf(evaluation);
        var fused = ModelCompiler.SourceOf(training);
        if (fused.Training is null)
        {
            throw new InvalidOperationException($"model {training.Name} has no loss: there is nothing to train");
        }
        var split = ranks is SingleProcess ? default : ModelCompiler.SplitSourcesOf(training);
        ProgramSource[] sources = ranks is SingleProcess ? [fused, evaluationSource] : [split.Gradients, split.Update, evaluationSource];
        var code = recording is null ? CodeForm.InProcess : CodeForm.Library;
        var compiled = ModelCompiler.CompileAll(sources, target, new CompileOptions { Code = code, Progress = CompileProgressLine.On(progress, training.Name) });
        if (recording is null)
        {
            return Assemble([.. compiled.Select(p => p.Manifest)], i => compiled[i].Kernels, batch, options, ranks, split.Training);
        }
        var programs = compiled.Select(p => new CachedProgram(training.Name, p.Statistics, p.ToBundle())).ToList();
        recording.Add(programs);
        return Load(programs, batch, options);
    }

    /// <summary>The programs <see cref="Compile"/> kept in a recording (the train step, then the evaluation), loaded for one process.</summary>
    /// <exception cref="InvalidOperationException">The code needs CPU features this processor lacks, or cannot be loaded.</exception>
    /// <exception cref="InvalidDataException">A library was not built with its manifest.</exception>
    /// <exception cref="IOException">The kernel cache cannot be written.</exception>
    public static TrainPrograms Load(IReadOnlyList<CachedProgram> programs, int batch, ModelOptions options) =>
        Assemble([.. programs.Select(p => p.Program.Manifest)], i => ProgramCache.Load(programs[i].Program), batch, options, new SingleProcess(), null);

    // The instances of the train step (fused, or gradients and update when split for ranks) and the evaluation's code, the last program.
    private static TrainPrograms Assemble(IReadOnlyList<ModelManifest> manifests, Func<int, IKernelLibrary> kernels, int batch, ModelOptions options, ICommunicator ranks, TrainingSpec? split)
    {
        var evaluationKernels = kernels(manifests.Count - 1);
        var owned = new List<IDisposable> { evaluationKernels };
        try
        {
            ModelInstance Instance(int program, int size)
            {
                var symbols = manifests[program].Symbols.ToDictionary(s => s, _ => size);
                InstanceMemory.Check(manifests[program], symbols);
                var instance = new ModelInstance(manifests[program], kernels(program), symbols, options, ownsKernels: true);
                owned.Add(instance);
                return instance;
            }
            return ranks is SingleProcess
                ? new TrainPrograms(Instance(0, batch), null, evaluationKernels, manifests[^1])
                : new TrainPrograms(null, new TrainStepParts(Instance(0, batch / ranks.Size), Instance(1, batch), split!), evaluationKernels, manifests[^1]);
        }
        catch
        {
            owned.ForEach(o => o.Dispose());
            throw;
        }
    }

    /// <summary>A training session of these programs on <paramref name="data"/>, data-parallel over <paramref name="ranks"/> when split.</summary>
    public TrainingSession Session(TrainingData data, TrainingOptions options, ICommunicator ranks, ModelOptions instances)
    {
        var evaluation = new EvaluationProgram(_evaluationManifest, _evaluationKernels, instances);
        return _parts is null ? new TrainingSession(_fused!, data, options, evaluation) : new TrainingSession(_parts, data, options, ranks, evaluation);
    }

    /// <summary>Frees the instances and the evaluation program's code.</summary>
    public void Dispose()
    {
        _fused?.Dispose();
        _parts?.Gradients.Dispose();
        _parts?.Update.Dispose();
        _evaluationKernels.Dispose();
    }
}
