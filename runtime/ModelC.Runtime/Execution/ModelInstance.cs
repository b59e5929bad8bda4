using System.Collections.Immutable;
using System.Runtime.InteropServices;
using ModelC.Runtime.Initialization;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Execution;

/// <summary>Options for <see cref="ModelInstance"/>.</summary>
/// <param name="Threads">Threads per kernel (default: the machine's processor count).</param>
/// <param name="Seed">The seed parameters are drawn with.</param>
/// <param name="Device">Creates the device for manifests of its kind (a GPU; a CPU in place of the default one, as tests do, which then sets the threads); null: the CPU only.</param>
public sealed record ModelOptions(int? Threads = null, ulong Seed = 0, IComputeDeviceFactory? Device = null);

/// <summary>
/// A compiled model ready to run: its buffers allocated for the largest values of the symbolic
/// dimensions (<see cref="Bounds"/>), parameters initialised, and the kernel schedule resolved to
/// addresses. <see cref="Bind"/> switches to smaller values (a short batch) without copying the
/// parameters: each binding's schedule and arena plan is made once and kept. Inputs are written
/// and outputs read through spans over native memory; <see cref="Run()"/> executes the schedule.
/// Not thread-safe: use one instance per thread (instances share nothing).
/// </summary>
public sealed unsafe class ModelInstance : IDisposable
{
    private readonly IKernelLibrary _kernels;
    private readonly bool _ownsKernels;
    private readonly IComputeDevice _device;
    private readonly Dictionary<string, TensorSpec> _tensors;
    private readonly TensorSpec[] _indexInputs;
    private readonly DeviceBuffer[] _storage;
    private readonly DeviceBuffer _arena;
    // One per binding used so far: a handful of batch sizes, searched in order.
    private readonly List<BoundSchedule> _schedules = [];
    private BoundSchedule _bound;
    private KernelTimings? _timings;
    private bool _disposed;

    /// <summary>Prepares <paramref name="manifest"/>'s model to run with code from <paramref name="kernels"/>.</summary>
    /// <param name="manifest">The model's manifest.</param>
    /// <param name="kernels">The kernel code; disposed with the instance when <paramref name="ownsKernels"/>.</param>
    /// <param name="symbols">A value for each symbolic dimension (the batch size): the largest the instance runs, and the one it starts with.</param>
    /// <param name="options">Threads and seed.</param>
    /// <param name="ownsKernels">Whether disposing the instance disposes <paramref name="kernels"/>.</param>
    /// <exception cref="ArgumentException">A symbol is missing or not positive.</exception>
    /// <exception cref="InvalidOperationException">A kernel is missing from the code.</exception>
    /// <exception cref="InvalidDataException">A field of the manifest is inconsistent (<see cref="ManifestValidator"/>).</exception>
    public ModelInstance(ModelManifest manifest, IKernelLibrary kernels, IReadOnlyDictionary<string, int> symbols, ModelOptions? options = null, bool ownsKernels = false)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentNullException.ThrowIfNull(symbols);
        ManifestValidator.Validate(manifest);
        options ??= new ModelOptions();
        Manifest = manifest;
        _kernels = kernels;
        _ownsKernels = ownsKernels;
        Bounds = new SymbolBindings(manifest.Symbols, symbols);
        _tensors = manifest.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _indexInputs = [.. manifest.Tensors.Where(t => t.IndexBound is not null)];
        _device = ComputeDevices.Create(manifest.Device, Math.Max(1, options.Threads ?? Environment.ProcessorCount), manifest.ScratchBytes, options.Device);
        try
        {
            // The caller's tensors get their own memory, sized for the bounds (an update written in
            // place uses its old value's); temporaries share an arena.
            var inPlace = BoundSchedule.InPlaceBuffers(manifest);
            _storage = [.. manifest.Buffers.Select(b => b.Temporary || inPlace.ContainsKey(b.Id) ? default : _device.Allocate(BoundSchedule.ByteCount(b, Bounds)))];
            foreach (var (update, old) in inPlace)
            {
                _storage[update] = _storage[old];
            }
            _arena = _device.Allocate(BoundSchedule.ArenaBytes(manifest, Bounds));
            _bound = Schedule(Bounds);
        }
        catch
        {
            _device.Dispose();
            throw;
        }
        Initialize(options.Seed);
    }

    /// <summary>The model's manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The largest values of the symbolic dimensions, given when the instance was made.</summary>
    public SymbolBindings Bounds { get; }

    /// <summary>The values of the symbolic dimensions the next <see cref="Run()"/> uses (<see cref="Bounds"/> until <see cref="Bind"/>).</summary>
    public SymbolBindings Bindings => _bound.Bindings;

    /// <summary>The threads each kernel runs on.</summary>
    public int Threads => _device.Parallelism;

    /// <summary>When set, every <see cref="Run()"/> adds its time and each kernel's to these timings (a profile); null by default.</summary>
    /// <exception cref="ArgumentException">The timings are for another number of kernels than the manifest's.</exception>
    public KernelTimings? Timings
    {
        get => _timings;
        set => _timings = value is null || value.Kernels == Manifest.Kernels.Length ? value
            : throw new ArgumentException($"the timings are for {value.Kernels} kernels; the model has {Manifest.Kernels.Length}", nameof(value));
    }

    /// <summary>
    /// Sets the values of the symbolic dimensions for the runs that follow, each from 1 to its
    /// bound. Parameters and states keep their values; inputs and outputs are views for the new
    /// shapes, to be written again. The first use of a binding plans its arena and prepares its
    /// kernels; later uses find them ready.
    /// </summary>
    /// <exception cref="ArgumentException">A symbol is missing, below 1 or above its bound.</exception>
    public void Bind(IReadOnlyDictionary<string, int> symbols)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(symbols);
        foreach (var schedule in _schedules)
        {
            if (Matches(schedule.Bindings, symbols))
            {
                _bound = schedule;
                return;
            }
        }
        var bindings = new SymbolBindings(Manifest.Symbols, symbols);
        foreach (var symbol in Manifest.Symbols)
        {
            if (bindings[symbol] > Bounds[symbol])
            {
                throw new ArgumentException($"dimension '{symbol}' of model {Manifest.Name} is at most {Bounds[symbol]} (the size the instance was made for), got {bindings[symbol]}", nameof(symbols));
            }
        }
        _bound = Schedule(bindings);
    }

    /// <summary>The shape of a named tensor under this instance's bindings.</summary>
    public ImmutableArray<long> ShapeOf(string name) => [.. _bound.Shapes[Spec(name).Buffer]];

    /// <summary>A float tensor's elements (input, output, parameter or state), row-major.</summary>
    /// <exception cref="ArgumentException">No tensor has that name, or it is not f32.</exception>
    public Span<float> Floats(string name) => View<float>(name, ElementType.F32);

    /// <summary>An i32 tensor's elements, row-major.</summary>
    /// <exception cref="ArgumentException">No tensor has that name, or it is not i32.</exception>
    public Span<int> Ints(string name) => View<int>(name, ElementType.I32);

    /// <summary>A bool tensor's elements (0 or 1), row-major.</summary>
    /// <exception cref="ArgumentException">No tensor has that name, or it is not bool.</exception>
    public Span<byte> Bytes(string name) => View<byte>(name, ElementType.Bool);

    /// <summary>
    /// Runs the schedule once: outputs are computed from inputs, parameters and states; then the
    /// new value of every updated parameter and state (a train step's optimizer update, BatchNorm's
    /// running statistics) is copied over the old one, unless its kernel wrote it there
    /// (<see cref="TensorSpec.InPlace"/>). The <c>:next</c> outputs keep the new values.
    /// </summary>
    /// <exception cref="ArgumentException">An input used as class labels or gather indices holds a value outside its range (<see cref="TensorSpec.IndexBound"/>); nothing runs.</exception>
    public void Run() => Execute(commit: true, default, null);

    /// <summary>
    /// Runs the schedule once as <see cref="Run()"/> does, pausing after the kernels at the given
    /// positions of the schedule (<see cref="ModelManifest.Kernels"/>): when kernel
    /// <c><paramref name="pauses"/>[j]</c> has finished, and before the next one starts,
    /// <paramref name="paused"/> is called with <c>j</c>. Whatever that kernel and the ones before
    /// it wrote can be read there (a data-parallel step starts summing the gradients already
    /// computed while the later kernels run). <paramref name="paused"/> must not run this instance.
    /// </summary>
    /// <param name="pauses">Kernel positions in increasing order, each below the kernel count.</param>
    /// <param name="paused">Called on this thread with the index into <paramref name="pauses"/>.</param>
    /// <exception cref="ArgumentException">The positions are not increasing or not in the schedule; or an index input is out of range, as for <see cref="Run()"/>.</exception>
    public void Run(ReadOnlySpan<int> pauses, Action<int> paused)
    {
        ArgumentNullException.ThrowIfNull(paused);
        for (var j = 0; j < pauses.Length; j++)
        {
            if (pauses[j] < 0 || pauses[j] >= Manifest.Kernels.Length || (j > 0 && pauses[j] <= pauses[j - 1]))
            {
                throw new ArgumentException($"pauses must be increasing kernel positions below {Manifest.Kernels.Length}; got [{string.Join(", ", pauses.ToArray())}]", nameof(pauses));
            }
        }
        Execute(commit: true, pauses, paused);
    }

    /// <summary>
    /// Runs the schedule once and leaves the new values of the updated parameters and states in
    /// the <c>:next</c> outputs, for the caller to inspect before <see cref="Commit"/> applies them
    /// (or to drop them by running again). Updates written in place (<see cref="TensorSpec.InPlace"/>,
    /// a train step's parameters and optimizer states on the CPU) are applied by this run already.
    /// </summary>
    /// <exception cref="ArgumentException">An input used as class labels or gather indices holds a value outside its range (<see cref="TensorSpec.IndexBound"/>); nothing runs.</exception>
    public void Compute() => Execute(commit: false, default, null);

    /// <summary>Copies the new value of every updated parameter and state, computed by <see cref="Compute"/>, over the old one.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CopyUpdates();
        _device.Synchronize();
    }

    private void Execute(bool commit, ReadOnlySpan<int> pauses, Action<int>? paused)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckIndexInputs();
        var timings = _timings;
        var started = timings?.Now() ?? 0;
        var bound = _bound;
        var pause = 0;
        for (var i = 0; i < bound.Kernels.Length; i++)
        {
            var kernelStarted = timings?.Now() ?? 0;
            _device.Launch(bound.Kernels[i]);
            timings?.AddKernel(i, timings.Now() - kernelStarted);
            if (pause < pauses.Length && pauses[pause] == i)
            {
                // A device that launches asynchronously has the kernel's results only after this.
                _device.Synchronize();
                paused!(pause++);
            }
        }
        if (commit)
        {
            CopyUpdates();
        }
        _device.Synchronize();
        timings?.AddRun(timings.Now() - started);
    }

    private void CheckIndexInputs()
    {
        foreach (var input in _indexInputs)
        {
            var bound = input.IndexBound!.Value;
            var values = Ints(input.Name);
            var outside = IndexRange.FirstOutside(values, bound);
            if (outside >= 0)
            {
                throw new ArgumentException(IndexRange.Describe(Manifest.Name, input.Name, ShapeOf(input.Name).AsSpan(), outside, values[outside], bound));
            }
        }
    }

    private void CopyUpdates()
    {
        foreach (var (from, to) in _bound.Commits)
        {
            _device.Copy(from, to);
        }
    }

    /// <summary>Draws every parameter and state from its initialisation with <paramref name="seed"/>.</summary>
    public void Initialize(ulong seed)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Straight into the tensor's memory (a host mirror on a device with its own): no copy of
        // every parameter and moment on the managed heap, which a process's peak would count.
        foreach (var tensor in Manifest.Tensors.Where(t => t.Init is not null))
        {
            ParameterSampler.Fill(tensor.Init!, Floats(tensor.Name), ParameterSampler.StreamSeed(seed, tensor.Name));
        }
    }

    /// <summary>A copy of a named tensor with its shape (for files: checkpoints, saved outputs).</summary>
    /// <exception cref="ArgumentException">No tensor has that name.</exception>
    public Data.DataArray Copy(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var buffer = Spec(name).Buffer;
        var shape = ShapeOf(name).Select(d => checked((int)d)).ToArray();
        var count = checked((int)ElementCount(buffer));
        return Manifest.Buffers[buffer].Type switch
        {
            ElementType.F32 => Data.DataArray.Of(ReadBack(buffer, new float[count]), shape),
            ElementType.I32 => Data.DataArray.Of(ReadBack(buffer, new int[count]), shape),
            ElementType.Bool => Data.DataArray.Of(ReadBack(buffer, new byte[count]), shape),
            _ => throw new InvalidDataException($"tensor '{name}' has an unknown element type"),
        };
    }

    /// <summary>
    /// Copies the parameters and states (not the optimizer's) of <paramref name="source"/>, a
    /// program of the same model (its train step, or the same program at another batch size).
    /// </summary>
    /// <exception cref="ArgumentException">A tensor of this instance is missing from the source.</exception>
    public void CopyWeightsFrom(ModelInstance source)
    {
        ArgumentNullException.ThrowIfNull(source);
        foreach (var tensor in Manifest.Tensors.Where(t => t.Role is TensorRole.Parameter or TensorRole.State && !Checkpoints.ModelCheckpoint.IsOptimizerState(t.Name)))
        {
            source.Floats(tensor.Name).CopyTo(Floats(tensor.Name));
        }
    }

    private TensorSpec Spec(string name) =>
        _tensors.TryGetValue(name, out var spec) ? spec
        : throw new ArgumentException($"the model has no tensor '{name}'; it has {string.Join(", ", _tensors.Keys.Select(k => $"'{k}'"))}", nameof(name));

    private Span<T> View<T>(string name, ElementType type)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var spec = Spec(name);
        var buffer = Manifest.Buffers[spec.Buffer];
        if (buffer.Type != type)
        {
            throw new ArgumentException($"tensor '{name}' holds {buffer.Type.ToString().ToLowerInvariant()}, not {type.ToString().ToLowerInvariant()}", nameof(name));
        }
        return new Span<T>((void*)_device.HostAddress(_bound.Buffers[spec.Buffer]), checked((int)ElementCount(spec.Buffer)));
    }

    private T[] ReadBack<T>(int buffer, T[] values)
        where T : unmanaged
    {
        _device.CopyToHost(_bound.Buffers[buffer], MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    // Without allocating: the span overloads of generated classes bind on every call.
    private bool Matches(SymbolBindings bindings, IReadOnlyDictionary<string, int> symbols)
    {
        foreach (var symbol in Manifest.Symbols)
        {
            if (!symbols.TryGetValue(symbol, out var value) || value != bindings[symbol])
            {
                return false;
            }
        }
        return true;
    }

    private long ElementCount(int buffer) => _bound.Shapes[buffer].Aggregate(1L, (p, d) => checked(p * d));

    private BoundSchedule Schedule(SymbolBindings bindings)
    {
        var schedule = BoundSchedule.Create(Manifest, _kernels, _device, bindings, _storage, _arena);
        _schedules.Add(schedule);
        return schedule;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        // The device frees every buffer it allocated.
        _device.Dispose();
        if (_ownsKernels)
        {
            _kernels.Dispose();
        }
    }
}
