using System.Collections.Immutable;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Packaging;
using ModelC.Runtime.Optimization;

namespace ModelC.Runtime.Bindings;

/// <summary>
/// The base of the classes <c>modelc build</c> generates, one per model: it owns the model's
/// weights and runs its forward pass and, for a model with a loss, its train step. The generated
/// class adds typed members (<c>Forward</c>, <c>TrainStep</c>, one property per parameter) over
/// the protected members here.
/// </summary>
/// <remarks>
/// The forward pass and the train step are separate compiled programs with their own memory;
/// the train step is prepared at its first use. Whichever ran last holds the newest weights, and
/// they are copied to the other before it runs. An instance is not thread-safe; instances share
/// only the loaded code, so threads may each use their own. An instance created for a GPU
/// (<see cref="ModelDevice"/>) runs both programs' GPU builds there, with the same members.
/// </remarks>
public abstract class CompiledModel : IDisposable
{
    private readonly BundledModel _model;
    private readonly IReadOnlyDictionary<string, int> _sizes;
    private readonly ModelOptions _options;
    private readonly ResolvedDevice _device;
    private readonly ModelInstance _inference;
    private readonly InputSizes _inferenceSizes;
    private ModelInstance? _training;
    private InputSizes? _trainingSizes;
    private ModelInstance _current;
    private ScheduledTrainStep? _step;
    private (long StepsPerEpoch, long TotalSteps, double? LearningRate)? _plan;
    private bool _disposed;

    /// <summary>Prepares <paramref name="model"/>'s forward pass for the given symbolic sizes, on the CPU.</summary>
    /// <param name="model">The model's code, from the assembly's embedded bundle.</param>
    /// <param name="sizes">A value for each symbolic dimension (the batch).</param>
    /// <param name="threads">Threads per kernel (default: the processor count).</param>
    /// <param name="seed">The seed the parameters are drawn with.</param>
    /// <exception cref="ArgumentException">A size is missing or not positive.</exception>
    protected CompiledModel(BundledModel model, IReadOnlyDictionary<string, int> sizes, int? threads, ulong seed)
        : this(model, sizes, threads, seed, ModelDevice.Cpu)
    {
    }

    /// <summary>Prepares <paramref name="model"/>'s forward pass for the given symbolic sizes on <paramref name="device"/>.</summary>
    /// <param name="model">The model's code, from the assembly's embedded bundle.</param>
    /// <param name="sizes">A value for each symbolic dimension (the batch).</param>
    /// <param name="threads">Threads per kernel on the CPU (default: the processor count).</param>
    /// <param name="seed">The seed the parameters are drawn with.</param>
    /// <param name="device">Where the kernels run (<see cref="ModelDevice"/>).</param>
    /// <exception cref="ArgumentException">A size is missing or not positive.</exception>
    /// <exception cref="DeviceUnavailableException">A GPU device was asked for and is not present, the app does not reference the GPU runtime, or the model was built without GPU kernels.</exception>
    /// <exception cref="InvalidDataException">The model's GPU kernels are not the ones its manifest was built with.</exception>
    protected CompiledModel(BundledModel model, IReadOnlyDictionary<string, int> sizes, int? threads, ulong seed, ModelDevice device)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sizes);
        if (threads is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "a model needs at least one thread");
        }
        // The build for this processor of each program (the AVX-512 one where the CPU has it).
        _model = model.ForThisCpu();
        _sizes = sizes;
        _device = ResolvedDevice.For(device, _model);
        _options = new ModelOptions(threads, seed, _device.Devices);
        _inference = Instance("inference", _model.Inference);
        _inferenceSizes = new InputSizes(_inference);
        _current = _inference;
    }

    /// <summary>The model's name in the <c>.mdl</c> file.</summary>
    public string Name => _model.Name;

    /// <summary>Whether the model has a loss, and so a <c>TrainStep</c>.</summary>
    public bool CanTrain => _model.Training is not null;

    /// <summary>The device the kernels run on: the one asked for, or for <see cref="ModelDevice.Auto"/> the one it chose.</summary>
    public ModelDevice Device => _device.Device;

    /// <summary>The threads each kernel runs on.</summary>
    public int Threads => _inference.Threads;

    /// <summary>The names of the trainable parameters, in declaration order.</summary>
    public IReadOnlyList<string> ParameterNames => [.. _model.Inference.Manifest.TensorsOf(TensorRole.Parameter).Select(t => t.Name)];

    /// <summary>Optimizer steps taken so far (0 for a model that has not trained).</summary>
    public long Step => _training is null ? 0 : (long)_training.Floats(_model.Training!.Manifest.Training!.StepState)[0];

    /// <summary>The shape of a named input, output, parameter or state (of the forward pass or the train step) at the sizes the instance was made for, the largest it runs.</summary>
    /// <exception cref="ArgumentException">The model has no such tensor.</exception>
    public ImmutableArray<long> ShapeOf(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // From the manifests, so that asking about a train-step input does not prepare the train step.
        foreach (var manifest in new[] { _model.Inference.Manifest, _model.Training?.Manifest })
        {
            if (manifest?.Tensors.FirstOrDefault(t => t.Name == name) is { } tensor)
            {
                return [.. _inference.Bounds.Resolve(manifest.Buffers[tensor.Buffer].Shape)];
            }
        }
        throw new ArgumentException($"model {Name} has no tensor '{name}'", nameof(name));
    }

    /// <summary>
    /// A float parameter's (or state's) values, row-major, to read or overwrite. The span is valid
    /// until the next forward pass, train step or load, which may move the newest weights.
    /// </summary>
    /// <exception cref="ArgumentException">The model has no such float tensor.</exception>
    public Span<float> Parameter(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _current.Floats(name);
    }

    /// <summary>
    /// Sets how long the training run is, for learning-rate schedules that depend on it (step,
    /// cosine, one-cycle). Until it is called every step uses the optimizer's learning rate.
    /// </summary>
    /// <param name="stepsPerEpoch">Batches per epoch.</param>
    /// <param name="totalSteps">Steps in the whole run.</param>
    /// <param name="learningRate">Replaces the optimizer's learning rate when given.</param>
    /// <exception cref="InvalidOperationException">The model has no loss.</exception>
    public void PlanTraining(long stepsPerEpoch, long totalSteps, double? learningRate = null)
    {
        RequireTraining();
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        _plan = (stepsPerEpoch, totalSteps, learningRate);
        _step = null;
    }

    /// <summary>The learning rate the next train step will use.</summary>
    /// <exception cref="InvalidOperationException">The model has no loss.</exception>
    public double LearningRate => ScheduledStep().LearningRate;

    /// <summary>Draws every parameter and state again from its initialisation with <paramref name="seed"/>; the optimizer starts afresh.</summary>
    public void Initialize(ulong seed)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _inference.Initialize(seed);
        _training?.Initialize(seed);
        _current = _inference;
    }

    /// <summary>
    /// Writes the model's complete state to a safetensors file, atomically: the parameters and
    /// states and, for a model with a loss, the optimizer's state and step count, whichever call
    /// came last (a model that has not trained writes its fresh optimizer state, at step 0).
    /// </summary>
    /// <param name="path">The file, replaced only once the new one is complete.</param>
    /// <param name="metadata">Strings stored in the file's header.</param>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ModelCheckpoint.Save(CompleteState(), path, metadata);
    }

    /// <summary>As <see cref="Save(string, IReadOnlyDictionary{string, string}?)"/>, to <paramref name="destination"/> at its position: not atomically, and the stream stays open.</summary>
    /// <param name="destination">Where the safetensors bytes go.</param>
    /// <param name="metadata">Strings stored in the header.</param>
    public void Save(Stream destination, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ModelCheckpoint.Save(CompleteState(), destination, metadata);
    }

    /// <summary>
    /// Restores the model from a safetensors file written by <see cref="Save(string, IReadOnlyDictionary{string, string}?)"/>, <c>modelc
    /// train</c> or PyTorch (ModelC's names and layouts). A file with the optimizer's state
    /// restores it and the step count; a file without it restores the weights and starts the
    /// optimizer afresh.
    /// </summary>
    /// <returns>What was restored: the file's metadata, the tensors, whether the optimizer's state was among them, and the step count.</returns>
    /// <exception cref="CheckpointFormatException">The file is damaged or does not fit the model (the message says how).</exception>
    public CheckpointSummary Load(string path)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Restore(SafetensorsFile.Read(path), path);
    }

    /// <summary>As <see cref="Load(string)"/>, from <paramref name="source"/>'s position to its end; the stream stays open.</summary>
    /// <param name="source">The safetensors bytes.</param>
    /// <param name="name">What error messages call the stream.</param>
    /// <returns>What was restored.</returns>
    /// <exception cref="CheckpointFormatException">The bytes are damaged or do not fit the model (the message says how).</exception>
    public CheckpointSummary Load(Stream source, string name = "stream")
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Restore(SafetensorsFile.Read(source, name), name);
    }

    private CheckpointSummary Restore(Checkpoint checkpoint, string path)
    {
        var withOptimizer = CanTrain && checkpoint.Tensors.Keys.Any(ModelCheckpoint.IsOptimizerState);
        var target = withOptimizer ? Training() : _inference;
        var metadata = ModelCheckpoint.Load(target, checkpoint, path);
        if (!withOptimizer)
        {
            // Moments of other weights would steer the loaded ones: the optimizer starts again.
            _training?.Initialize(_options.Seed);
        }
        _current = target;
        var restored = checkpoint.Tensors.Keys.Where(name => target.Manifest.Tensors.Any(t => t.Name == name)).ToList();
        return new CheckpointSummary(metadata, restored, withOptimizer, Step);
    }

    /// <summary>
    /// The forward pass, holding the newest weights and bound to the sizes the inputs' lengths
    /// give (see <see cref="InputSizes"/>), for the caller to write inputs, run and read outputs.
    /// </summary>
    /// <param name="inputs">Each input's name and the length of the values the caller passes.</param>
    protected ModelInstance ForwardPass(ReadOnlySpan<(string Name, int Length)> inputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Bound(MoveWeightsTo(_inference), _inferenceSizes, inputs);
    }

    /// <summary>The train step, holding the newest weights and bound as <see cref="ForwardPass"/>, for the caller to write inputs and call <see cref="RunTrainStep"/>.</summary>
    /// <param name="inputs">Each input's name and the length of the values the caller passes.</param>
    /// <exception cref="InvalidOperationException">The model has no loss.</exception>
    protected ModelInstance TrainingPass(ReadOnlySpan<(string Name, int Length)> inputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireTraining();
        var training = MoveWeightsTo(Training());
        return Bound(training, _trainingSizes!, inputs);
    }

    /// <summary>
    /// Runs one optimizer step on the inputs written to <see cref="TrainingPass"/>; returns the
    /// loss before the update. The compiled step applies the update only when the loss, the
    /// learning rate and every gradient are finite; otherwise it leaves the parameters, moments
    /// and step count bit for bit as they were, which the unchanged step count shows here.
    /// </summary>
    /// <exception cref="NonFiniteStepException">The loss, the learning rate or a gradient was infinite or NaN; nothing changed.</exception>
    protected float RunTrainStep()
    {
        var step = ScheduledStep();
        var rate = step.LearningRate;
        var taken = step.Step;
        var loss = step.Run();
        if (step.Step != taken)
        {
            return loss;
        }
        throw !float.IsFinite(loss) ? new NonFiniteStepException(Name, taken + 1, "the loss", loss, rate)
            : !float.IsFinite((float)rate) ? new NonFiniteStepException(Name, taken + 1, "the learning rate", (float)rate, rate)
            : new NonFiniteStepException(Name, taken + 1, rate);
    }

    /// <summary>Copies <paramref name="values"/> into input <paramref name="name"/>, checking the length against its shape.</summary>
    /// <exception cref="ArgumentException">The length is not the input's element count.</exception>
    protected static void Write(ModelInstance pass, string name, ReadOnlySpan<float> values) => Checked(pass, name, values, pass.Floats(name));

    /// <inheritdoc cref="Write(ModelInstance, string, ReadOnlySpan{float})"/>
    protected static void Write(ModelInstance pass, string name, ReadOnlySpan<int> values) => Checked(pass, name, values, pass.Ints(name));

    /// <inheritdoc cref="Write(ModelInstance, string, ReadOnlySpan{float})"/>
    protected static void Write(ModelInstance pass, string name, ReadOnlySpan<bool> values) =>
        Checked(pass, name, MemoryMarshal.Cast<bool, byte>(values), pass.Bytes(name));

    /// <summary>Copies output <paramref name="name"/> into <paramref name="destination"/>, checking the length against its shape.</summary>
    /// <exception cref="ArgumentException">The length is not the output's element count.</exception>
    protected static void Read(ModelInstance pass, string name, Span<float> destination) => Checked(pass, name, pass.Floats(name), destination);

    /// <inheritdoc cref="Read(ModelInstance, string, Span{float})"/>
    protected static void Read(ModelInstance pass, string name, Span<int> destination) => Checked(pass, name, pass.Ints(name), destination);

    /// <inheritdoc cref="Read(ModelInstance, string, Span{float})"/>
    protected static void Read(ModelInstance pass, string name, Span<bool> destination) =>
        Checked(pass, name, pass.Bytes(name), MemoryMarshal.Cast<bool, byte>(destination));

    /// <summary>A copy of float output <paramref name="name"/>.</summary>
    protected static float[] ReadFloats(ModelInstance pass, string name) => pass.Floats(name).ToArray();

    /// <summary>A copy of i32 output <paramref name="name"/>.</summary>
    protected static int[] ReadInts(ModelInstance pass, string name) => pass.Ints(name).ToArray();

    /// <summary>A copy of bool output <paramref name="name"/>.</summary>
    protected static bool[] ReadBools(ModelInstance pass, string name) => [.. pass.Bytes(name).ToArray().Select(b => b != 0)];

    /// <summary>
    /// The values of <paramref name="tensor"/>, row-major, for input <paramref name="name"/> of
    /// <paramref name="pass"/>, after checking its shape (a symbolic dimension any size from 1 to
    /// its bound). A dense tensor span is read in place; a strided or broadcast one is copied.
    /// </summary>
    /// <exception cref="ArgumentException">The shape is not the input's; the message names the input, the expected and the actual shape.</exception>
    protected static ReadOnlySpan<T> Flatten<T>(ModelInstance pass, string name, ReadOnlyTensorSpan<T> tensor) =>
        TensorArguments.Flatten(pass, name, tensor);

    /// <summary>Output <paramref name="name"/> of <paramref name="pass"/>'s last run as a tensor of its shape (the batch the inputs gave).</summary>
    protected static Tensor<float> ReadFloatTensor(ModelInstance pass, string name) => TensorArguments.Shaped(pass, name, ReadFloats(pass, name));

    /// <inheritdoc cref="ReadFloatTensor"/>
    protected static Tensor<int> ReadIntTensor(ModelInstance pass, string name) => TensorArguments.Shaped(pass, name, ReadInts(pass, name));

    /// <inheritdoc cref="ReadFloatTensor"/>
    protected static Tensor<bool> ReadBoolTensor(ModelInstance pass, string name) => TensorArguments.Shaped(pass, name, ReadBools(pass, name));

    private static void Checked<T>(ModelInstance pass, string name, ReadOnlySpan<T> source, Span<T> destination)
    {
        if (source.Length != destination.Length)
        {
            throw new ArgumentException(InputSizes.Mismatch(pass, name, source.Length), name);
        }
        source.CopyTo(destination);
    }

    private static ModelInstance Bound(ModelInstance pass, InputSizes sizes, ReadOnlySpan<(string Name, int Length)> inputs)
    {
        pass.Bind(sizes.Infer(inputs));
        return pass;
    }

    private void RequireTraining()
    {
        if (!CanTrain)
        {
            throw new InvalidOperationException($"model {Name} has no loss, so it cannot train");
        }
    }

    private ModelInstance Training()
    {
        if (_training is null)
        {
            _training = Instance("training", _model.Training!);
            _trainingSizes = new InputSizes(_training);
        }
        return _training;
    }

    // An instance of one program (kind: inference or training) on the instance's device.
    private ModelInstance Instance(string kind, BundledProgram program)
    {
        var (manifest, kernels) = _device.Load(_model.Name, kind, program);
        return new ModelInstance(manifest, kernels, _sizes, _options);
    }

    private ScheduledTrainStep ScheduledStep()
    {
        RequireTraining();
        return _step ??= _plan is { } plan
            ? new ScheduledTrainStep(Training(), plan.StepsPerEpoch, plan.TotalSteps, plan.LearningRate)
            : new ScheduledTrainStep(Training(), 1, 1, schedule: ScheduleSpec.Constant);
    }

    // The instance that holds everything Save writes: the train step's, whose optimizer state is
    // always the newest, once it has the newest weights.
    private ModelInstance CompleteState() => CanTrain ? MoveWeightsTo(Training()) : _inference;

    private ModelInstance MoveWeightsTo(ModelInstance target)
    {
        if (_current != target)
        {
            target.CopyWeightsFrom(_current);
            _current = target;
        }
        return target;
    }

    /// <summary>Frees the model's memory and threads; the loaded code stays for other instances.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _inference.Dispose();
        _training?.Dispose();
        GC.SuppressFinalize(this);
    }
}
