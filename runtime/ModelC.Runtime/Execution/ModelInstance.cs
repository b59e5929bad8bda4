using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.InteropServices;
using ModelC.Runtime.Initialization;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Execution;

/// <summary>Options for <see cref="ModelInstance"/>.</summary>
/// <param name="Threads">Threads per kernel (default: the machine's processor count).</param>
/// <param name="Seed">The seed parameters are drawn with.</param>
/// <param name="Device">Creates the device for manifests of a kind other than the CPU (a GPU); null: the CPU only.</param>
public sealed record ModelOptions(int? Threads = null, ulong Seed = 0, IComputeDeviceFactory? Device = null);

/// <summary>
/// A compiled model ready to run: its buffers allocated for one binding of the symbolic
/// dimensions, parameters initialised, and the kernel schedule resolved to addresses. Inputs are
/// written and outputs read through spans over native memory; <see cref="Run"/> executes the
/// schedule. Not thread-safe: use one instance per thread (instances share nothing).
/// </summary>
public sealed unsafe class ModelInstance : IDisposable
{
    private readonly IKernelLibrary _kernels;
    private readonly bool _ownsKernels;
    private readonly IComputeDevice _device;
    private readonly DeviceBuffer[] _buffers;
    private readonly long[][] _bufferShapes;
    private readonly PreparedKernel[] _schedule;
    private readonly (DeviceBuffer From, DeviceBuffer To)[] _commits;
    private readonly Dictionary<string, TensorSpec> _tensors;
    private KernelTimings? _timings;
    private bool _disposed;

    /// <summary>Prepares <paramref name="manifest"/>'s model to run with code from <paramref name="kernels"/>.</summary>
    /// <param name="manifest">The model's manifest.</param>
    /// <param name="kernels">The kernel code; disposed with the instance when <paramref name="ownsKernels"/>.</param>
    /// <param name="symbols">A value for each symbolic dimension (the batch size).</param>
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
        Bindings = new SymbolBindings(manifest.Symbols, symbols);
        _tensors = manifest.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _bufferShapes = [.. manifest.Buffers.Select(b => Bindings.Resolve(b.Shape))];
        _device = ComputeDevices.Create(manifest.Device, Math.Max(1, options.Threads ?? Environment.ProcessorCount), manifest.ScratchBytes, options.Device);
        try
        {
            _buffers = AllocateBuffers();
            _schedule = [.. manifest.Kernels.Select(Prepare)];
            _commits = [.. manifest.Tensors.Where(t => t.Replaces is not null).Select(Commit)];
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

    /// <summary>The values of the symbolic dimensions.</summary>
    public SymbolBindings Bindings { get; }

    /// <summary>The threads each kernel runs on.</summary>
    public int Threads => _device.Parallelism;

    /// <summary>When set, every <see cref="Run"/> adds its time and each kernel's to these timings (a profile); null by default.</summary>
    /// <exception cref="ArgumentException">The timings are for another number of kernels than the manifest's.</exception>
    public KernelTimings? Timings
    {
        get => _timings;
        set => _timings = value is null || value.Kernels == _schedule.Length ? value
            : throw new ArgumentException($"the timings are for {value.Kernels} kernels; the model has {_schedule.Length}", nameof(value));
    }

    /// <summary>The shape of a named tensor under this instance's bindings.</summary>
    public ImmutableArray<long> ShapeOf(string name) => [.. _bufferShapes[Spec(name).Buffer]];

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
    /// running statistics) is copied over the old one. The <c>:next</c> outputs keep the new values.
    /// </summary>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var timings = _timings;
        var started = timings is null ? 0 : Stopwatch.GetTimestamp();
        for (var i = 0; i < _schedule.Length; i++)
        {
            var kernelStarted = timings is null ? 0 : Stopwatch.GetTimestamp();
            _device.Launch(_schedule[i]);
            timings?.AddKernel(i, Stopwatch.GetTimestamp() - kernelStarted);
        }
        foreach (var (from, to) in _commits)
        {
            _device.Copy(from, to);
        }
        _device.Synchronize();
        timings?.AddRun(Stopwatch.GetTimestamp() - started);
    }

    /// <summary>Draws every parameter and state from its initialisation with <paramref name="seed"/>.</summary>
    public void Initialize(ulong seed)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var tensor in Manifest.Tensors.Where(t => t.Init is not null))
        {
            var values = new float[ElementCount(tensor.Buffer)];
            ParameterSampler.Fill(tensor.Init!, values, ParameterSampler.StreamSeed(seed, tensor.Name));
            _device.CopyToDevice(MemoryMarshal.AsBytes(values.AsSpan()), _buffers[tensor.Buffer]);
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
        return new Span<T>((void*)_device.HostAddress(_buffers[spec.Buffer]), checked((int)ElementCount(spec.Buffer)));
    }

    private T[] ReadBack<T>(int buffer, T[] values)
        where T : unmanaged
    {
        _device.CopyToHost(_buffers[buffer], MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private long ElementCount(int buffer) => _bufferShapes[buffer].Aggregate(1L, (p, d) => checked(p * d));

    private long ByteCount(int buffer) => checked(ElementCount(buffer) * Manifest.Buffers[buffer].ElementSize);

    // Temporaries share one arena; the caller's tensors get their own memory.
    private DeviceBuffer[] AllocateBuffers()
    {
        var buffers = new DeviceBuffer[Manifest.Buffers.Length];
        var temporaries = Manifest.Buffers.Where(b => b.Temporary).ToArray();
        var (offsets, size) = ArenaPlanner.Plan([.. temporaries.Select(b => new ArenaRequest(ByteCount(b.Id), b.FirstKernel, b.LastKernel))]);
        var arena = _device.Allocate(size);
        for (var i = 0; i < temporaries.Length; i++)
        {
            buffers[temporaries[i].Id] = arena.Slice(offsets[i], ByteCount(temporaries[i].Id));
        }
        foreach (var buffer in Manifest.Buffers.Where(b => !b.Temporary))
        {
            buffers[buffer.Id] = _device.Allocate(ByteCount(buffer.Id));
        }
        return buffers;
    }

    // The validator has checked that the target exists and has the update's type and shape.
    private (DeviceBuffer, DeviceBuffer) Commit(TensorSpec update) => (_buffers[update.Buffer], _buffers[_tensors[update.Replaces!].Buffer]);

    private PreparedKernel Prepare(KernelSpec kernel) =>
        _device.Prepare(_kernels, kernel.Symbol, [.. kernel.Buffers.Select(b => _buffers[b])], Bindings.Ordered.AsSpan());

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
