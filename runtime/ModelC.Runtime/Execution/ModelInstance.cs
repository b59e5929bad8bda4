using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.InteropServices;
using ModelC.Runtime.Initialization;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Execution;

/// <summary>Options for <see cref="ModelInstance"/>.</summary>
/// <param name="Threads">Threads per kernel (default: the machine's processor count).</param>
/// <param name="Seed">The seed parameters are drawn with.</param>
public sealed record ModelOptions(int? Threads = null, ulong Seed = 0);

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
    private readonly KernelThreadPool _pool;
    private readonly List<nint> _allocations = [];
    private readonly nint[] _bufferAddresses;
    private readonly long[][] _bufferShapes;
    private readonly ScheduledKernel[] _schedule;
    private readonly (nint From, nint To, long Bytes)[] _commits;
    private readonly long* _symbols;
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
    /// <exception cref="InvalidDataException">An update in the manifest does not fit the tensor it replaces.</exception>
    public ModelInstance(ModelManifest manifest, IKernelLibrary kernels, IReadOnlyDictionary<string, int> symbols, ModelOptions? options = null, bool ownsKernels = false)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentNullException.ThrowIfNull(symbols);
        options ??= new ModelOptions();
        Manifest = manifest;
        _kernels = kernels;
        _ownsKernels = ownsKernels;
        Bindings = new SymbolBindings(manifest.Symbols, symbols);
        _tensors = manifest.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _symbols = (long*)Allocate(Math.Max(1, manifest.Symbols.Length) * sizeof(long));
        for (var i = 0; i < manifest.Symbols.Length; i++)
        {
            _symbols[i] = Bindings.Ordered[i];
        }
        _bufferShapes = [.. manifest.Buffers.Select(b => Bindings.Resolve(b.Shape))];
        _bufferAddresses = new nint[manifest.Buffers.Length];
        AllocateBuffers();
        _schedule = [.. manifest.Kernels.Select(Resolve)];
        _commits = [.. manifest.Tensors.Where(t => t.Replaces is not null).Select(Commit)];
        _pool = new KernelThreadPool(Math.Max(1, options.Threads ?? Environment.ProcessorCount), manifest.ScratchBytes);
        Initialize(options.Seed);
    }

    /// <summary>The model's manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The values of the symbolic dimensions.</summary>
    public SymbolBindings Bindings { get; }

    /// <summary>The threads each kernel runs on.</summary>
    public int Threads => _pool.Threads;

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
            var kernel = _schedule[i];
            var kernelStarted = timings is null ? 0 : Stopwatch.GetTimestamp();
            _pool.Run(kernel.Address, kernel.Buffers, _symbols, kernel.Extent);
            timings?.AddKernel(i, Stopwatch.GetTimestamp() - kernelStarted);
        }
        foreach (var (from, to, bytes) in _commits)
        {
            Buffer.MemoryCopy((void*)from, (void*)to, bytes, bytes);
        }
        timings?.AddRun(Stopwatch.GetTimestamp() - started);
    }

    /// <summary>Draws every parameter and state from its initialisation with <paramref name="seed"/>.</summary>
    public void Initialize(ulong seed)
    {
        foreach (var tensor in Manifest.Tensors.Where(t => t.Init is not null))
        {
            ParameterSampler.Fill(tensor.Init!, Floats(tensor.Name), ParameterSampler.StreamSeed(seed, tensor.Name));
        }
    }

    /// <summary>A copy of a named tensor with its shape (for files: checkpoints, saved outputs).</summary>
    /// <exception cref="ArgumentException">No tensor has that name.</exception>
    public Data.DataArray Copy(string name)
    {
        var shape = ShapeOf(name).Select(d => checked((int)d)).ToArray();
        return Manifest.Buffers[Spec(name).Buffer].Type switch
        {
            ElementType.F32 => Data.DataArray.Of(Floats(name).ToArray(), shape),
            ElementType.I32 => Data.DataArray.Of(Ints(name).ToArray(), shape),
            _ => Data.DataArray.Of(Bytes(name).ToArray(), shape),
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
        return new Span<T>((void*)_bufferAddresses[spec.Buffer], checked((int)ElementCount(spec.Buffer)));
    }

    private long ElementCount(int buffer) => _bufferShapes[buffer].Aggregate(1L, (p, d) => checked(p * d));

    private long ByteCount(int buffer) => checked(ElementCount(buffer) * Manifest.Buffers[buffer].ElementSize);

    private void AllocateBuffers()
    {
        var temporaries = Manifest.Buffers.Where(b => b.Temporary).ToArray();
        var (offsets, size) = ArenaPlanner.Plan([.. temporaries.Select(b => new ArenaRequest(ByteCount(b.Id), b.FirstKernel, b.LastKernel))]);
        var arena = Allocate(size);
        for (var i = 0; i < temporaries.Length; i++)
        {
            _bufferAddresses[temporaries[i].Id] = arena + (nint)offsets[i];
        }
        foreach (var buffer in Manifest.Buffers.Where(b => !b.Temporary))
        {
            _bufferAddresses[buffer.Id] = Allocate(ByteCount(buffer.Id));
        }
    }

    private (nint, nint, long) Commit(TensorSpec update)
    {
        var target = _tensors.TryGetValue(update.Replaces!, out var spec) && spec.Role is TensorRole.Parameter or TensorRole.State ? spec
            : throw new InvalidDataException($"the manifest's '{update.Name}' replaces '{update.Replaces}', which is no parameter or state");
        var bytes = ByteCount(update.Buffer);
        if (bytes != ByteCount(target.Buffer) || Manifest.Buffers[update.Buffer].Type != Manifest.Buffers[target.Buffer].Type)
        {
            throw new InvalidDataException($"the manifest's '{update.Name}' does not match the type and shape of '{target.Name}', which it replaces");
        }
        return (_bufferAddresses[update.Buffer], _bufferAddresses[target.Buffer], bytes);
    }

    private ScheduledKernel Resolve(KernelSpec kernel)
    {
        var buffers = (nint*)Allocate(Math.Max(1, kernel.Buffers.Length) * sizeof(nint));
        for (var i = 0; i < kernel.Buffers.Length; i++)
        {
            buffers[i] = _bufferAddresses[kernel.Buffers[i]];
        }
        var extent = (delegate* unmanaged<long*, long>)_kernels.GetKernel(kernel.Symbol + KernelSpec.ExtentSuffix);
        return new ScheduledKernel(_kernels.GetKernel(kernel.Symbol), buffers, extent(_symbols));
    }

    // Zeroed, so that padding and never-written buffers read as 0, never as old memory.
    private nint Allocate(long bytes)
    {
        var size = (nuint)Math.Max(bytes, 1);
        var memory = NativeMemory.AlignedAlloc(size, (nuint)ArenaPlanner.Alignment);
        NativeMemory.Clear(memory, size);
        _allocations.Add((nint)memory);
        return (nint)memory;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _pool.Dispose();
        foreach (var memory in _allocations)
        {
            NativeMemory.AlignedFree((void*)memory);
        }
        _allocations.Clear();
        if (_ownsKernels)
        {
            _kernels.Dispose();
        }
    }

    private readonly struct ScheduledKernel(nint address, nint* buffers, long extent)
    {
        public nint Address { get; } = address;

        public nint* Buffers { get; } = buffers;

        public long Extent { get; } = extent;
    }
}
