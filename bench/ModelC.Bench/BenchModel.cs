using System.Diagnostics;
using ModelC.Runtime;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Optimization;

namespace ModelC.Bench;

/// <summary>
/// One built model, ready to time: an instance per thread count over the same loaded code, its
/// inputs filled from a seeded generator, and for a train step a <see cref="ScheduledTrainStep"/>
/// per instance, which sets each step's learning rate.
/// </summary>
internal sealed class BenchModel : IDisposable
{
    private readonly SharedLibraryKernels _kernels;
    private readonly Dictionary<int, (ModelInstance Instance, ScheduledTrainStep? Step)> _instances = [];

    /// <summary>Loads model <paramref name="name"/> from <paramref name="directory"/> (written by <c>modelc build --emit native</c>).</summary>
    /// <param name="directory">The build directory.</param>
    /// <param name="name">The model.</param>
    /// <param name="batch">The value of every symbolic dimension.</param>
    /// <param name="threads">The thread counts to prepare an instance for.</param>
    /// <param name="seed">Seeds the parameters and the inputs.</param>
    /// <param name="labels">For integer inputs: the exclusive upper bound of their values (the class count of labels); 10 otherwise.</param>
    public BenchModel(string directory, string name, int batch, IEnumerable<int> threads, ulong seed, IReadOnlyDictionary<string, int> labels)
    {
        (Manifest, _kernels) = ModelArtifact.Load(directory, name);
        try
        {
            var symbols = Manifest.Symbols.ToDictionary(s => s, _ => batch);
            foreach (var count in threads.Distinct())
            {
                var instance = new ModelInstance(Manifest, _kernels, symbols, new ModelOptions(count, seed));
                _instances[count] = (instance, Manifest.Training is null ? null : new ScheduledTrainStep(instance, stepsPerEpoch: 1, totalSteps: 1_000_000));
                Fill(instance, seed, labels);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The model's manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>
    /// Runs <paramref name="steps"/> forward passes or train steps on <paramref name="threads"/>
    /// threads; returns each one's wall-clock and calling-thread CPU time (ms) and the last loss.
    /// </summary>
    /// <exception cref="ArgumentException">No instance was prepared for that thread count.</exception>
    public (double[] Wall, double[] Cpu, float? Loss) Time(int threads, int steps)
    {
        var (instance, step) = _instances.TryGetValue(threads, out var prepared) ? prepared
            : throw new ArgumentException($"the model was loaded for {string.Join(", ", _instances.Keys)} threads, not {threads}");
        var wall = new double[steps];
        var cpu = new double[steps];
        float? loss = null;
        for (var i = 0; i < steps; i++)
        {
            var cpuStart = ThreadCpuClock.Nanoseconds() * 1e-6;
            var start = Stopwatch.GetTimestamp();
            if (step is null)
            {
                instance.Run();
            }
            else
            {
                loss = step.Run();
            }
            wall[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            cpu[i] = ThreadCpuClock.Nanoseconds() * 1e-6 - cpuStart;
        }
        return (wall, cpu, loss);
    }

    private static void Fill(ModelInstance instance, ulong seed, IReadOnlyDictionary<string, int> labels)
    {
        var random = new Random(unchecked((int)seed));
        foreach (var input in instance.Manifest.TensorsOf(TensorRole.Input))
        {
            switch (instance.Manifest.Buffers[input.Buffer].Type)
            {
                case ElementType.F32:
                    foreach (ref var value in instance.Floats(input.Name))
                    {
                        value = 2 * random.NextSingle() - 1;
                    }
                    break;
                case ElementType.I32:
                    var high = labels.GetValueOrDefault(input.Name, 10);
                    foreach (ref var value in instance.Ints(input.Name))
                    {
                        value = random.Next(high);
                    }
                    break;
                default:
                    foreach (ref var value in instance.Bytes(input.Name))
                    {
                        value = (byte)random.Next(2);
                    }
                    break;
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var (instance, _) in _instances.Values)
        {
            instance.Dispose();
        }
        _instances.Clear();
        _kernels.Dispose();
    }
}
