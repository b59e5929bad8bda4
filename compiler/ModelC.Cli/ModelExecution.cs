using System.Diagnostics;
using System.Globalization;
using ModelC.Cli.Profiling;
using ModelC.Compiler.IR;
using ModelC.Runtime;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Initialization;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Optimization;

namespace ModelC.Cli;

/// <summary>What <c>modelc run</c> does with a loaded model: random inputs, timed runs, a printout.</summary>
internal static class ModelExecution
{
    /// <summary>
    /// Fills every input from a seeded generator: floats uniform in [−1, 1), integers in their
    /// recorded range [0, C) when they are class labels or gather indices, else in [0, C) when
    /// an output has the input's shape and then C, else in [0, 10).
    /// </summary>
    public static void FillInputs(ModelInstance instance, ulong seed)
    {
        foreach (var input in instance.Manifest.TensorsOf(TensorRole.Input))
        {
            var random = new DeterministicRandom(ParameterSampler.StreamSeed(seed, input.Name));
            switch (instance.Manifest.Buffers[input.Buffer].Type)
            {
                case ElementType.F32:
                    var floats = instance.Floats(input.Name);
                    for (var i = 0; i < floats.Length; i++)
                    {
                        floats[i] = (float)(2 * random.NextDouble() - 1);
                    }
                    break;
                case ElementType.I32:
                    var ints = instance.Ints(input.Name);
                    var classes = (ulong)(input.IndexBound ?? ClassesOf(instance, input.Name));
                    for (var i = 0; i < ints.Length; i++)
                    {
                        ints[i] = (int)(random.NextUInt64() % classes);
                    }
                    break;
                default:
                    var bytes = instance.Bytes(input.Name);
                    for (var i = 0; i < bytes.Length; i++)
                    {
                        bytes[i] = (byte)(random.NextUInt64() & 1);
                    }
                    break;
            }
        }
    }

    // The fewest classes of an f32 output shaped [labels…, C], so that every label is in range.
    private static long ClassesOf(ModelInstance instance, string labels)
    {
        const long Default = 10;
        var shape = instance.ShapeOf(labels);
        var classes = instance.Manifest.TensorsOf(TensorRole.Output)
            .Where(t => t.Replaces is null && instance.Manifest.Buffers[t.Buffer].Type == ElementType.F32)
            .Select(t => instance.ShapeOf(t.Name))
            .Where(s => s.Length == shape.Length + 1 && s[..^1].SequenceEqual(shape) && s[^1] > 0)
            .Select(s => s[^1])
            .DefaultIfEmpty(Default)
            .Min();
        return classes;
    }

    /// <summary>
    /// Loads the parameters and states of <paramref name="instance"/> from a safetensors
    /// checkpoint whose tensors <paramref name="renames"/> maps to the model's names.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is a PyTorch pickle, unreadable, or does not fit the model.</exception>
    public static void LoadWeights(ModelInstance instance, string path, WeightRenames renames) =>
        ModelCheckpoint.Load(instance, renames.Apply(WeightFiles.Read(path), path), path);

    /// <summary>
    /// Sets inputs from a file (<c>.npz</c>, else safetensors) holding arrays under the inputs'
    /// names, each of the input's shape at the chosen batch; inputs the file lacks keep their values.
    /// </summary>
    /// <exception cref="InvalidDataException">An array is no input of the model, or has another shape or type.</exception>
    public static void LoadInputs(ModelInstance instance, string path)
    {
        var arrays = path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase)
            ? NpzFile.Read(path)
            : WeightFiles.Read(path).Tensors.ToDictionary(t => t.Key, t => t.Value);
        var inputs = instance.Manifest.TensorsOf(TensorRole.Input).ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var (name, array) in arrays)
        {
            if (!inputs.TryGetValue(name, out var input))
            {
                throw new InvalidDataException($"{path}: '{name}' is no input of the model (inputs: {string.Join(", ", inputs.Keys)})");
            }
            var shape = instance.ShapeOf(name);
            var type = instance.Manifest.Buffers[input.Buffer].Type;
            if (array.Type != type || !array.Shape.Select(d => (long)d).SequenceEqual(shape))
            {
                throw new InvalidDataException($"{path}: '{name}' is {array.Type.Name()}[{string.Join(",", array.Shape)}] but the input is {type.Name()}[{string.Join(",", shape)}] (choose the batch with --batch)");
            }
            switch (type)
            {
                case ElementType.F32:
                    ((float[])array.Data).CopyTo(instance.Floats(name));
                    break;
                case ElementType.I32:
                    ((int[])array.Data).CopyTo(instance.Ints(name));
                    break;
                default:
                    ((byte[])array.Data).CopyTo(instance.Bytes(name));
                    break;
            }
        }
    }

    /// <summary>
    /// Runs once to warm up, then <paramref name="repeat"/> timed runs; prints the outputs and the
    /// times, then the profile when <paramref name="profile"/> is given (taken over the timed runs;
    /// in the running thread's CPU time with <paramref name="threadCpuTime"/>; every row of its
    /// tables with <paramref name="profileAll"/>).
    /// A train step (a manifest with training) runs as a <see cref="ScheduledTrainStep"/>, which
    /// sets each step's learning rate; its parameter updates are not printed.
    /// </summary>
    public static void RunAndReport(ModelInstance instance, int repeat, TextWriter output, bool profile = false, bool threadCpuTime = false, bool profileAll = false)
    {
        var step = Step(instance, repeat);
        step();
        instance.Timings = profile ? new KernelTimings(instance.Manifest.Kernels.Length, threadCpuTime) : null;
        var times = new List<double>();
        for (var i = 0; i < repeat; i++)
        {
            var clock = Stopwatch.StartNew();
            step();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        var timings = instance.Timings;
        instance.Timings = null;
        foreach (var tensor in instance.Manifest.TensorsOf(TensorRole.Output).Where(t => t.Replaces is null))
        {
            var shape = string.Join(", ", instance.ShapeOf(tensor.Name));
            output.WriteLine($"  {tensor.Name} [{shape}] = {Preview(instance, tensor)}");
        }
        if (times.Count > 0)
        {
            // "mean, min" first: scripts read that prefix.
            times.Sort();
            var median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
            var what = instance.Manifest.Training is null ? "forward" : "train step";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {what}: {times.Average():F3} ms mean, {times[0]:F3} ms min, {median:F3} ms median over {times.Count} runs on {instance.Threads} thread(s)"));
        }
        if (timings is not null)
        {
            KernelProfileReport.Write(output, instance.Manifest.Name, instance.Manifest.Kernels, timings, profileAll);
        }
    }

    // One run: a forward pass, or a train step with the learning rate of its schedule over this many steps.
    private static Action Step(ModelInstance instance, int repeat)
    {
        if (instance.Manifest.Training is null)
        {
            return instance.Run;
        }
        var step = new ScheduledTrainStep(instance, stepsPerEpoch: 1, totalSteps: repeat + 1);
        return () => step.Run();
    }

    /// <summary>Writes the inputs and outputs of <paramref name="instance"/> to a safetensors file, under their names.</summary>
    public static void SaveTensors(ModelInstance instance, string path) =>
        SafetensorsFile.Write(path,
            instance.Manifest.Tensors.Where(t => t.Role is TensorRole.Input or TensorRole.Output && t.Replaces is null).Select(t => KeyValuePair.Create(t.Name, instance.Copy(t.Name))),
            new Dictionary<string, string> { ["model"] = instance.Manifest.Name });

    private static string Preview(ModelInstance instance, TensorSpec tensor)
    {
        const int Shown = 8;
        IEnumerable<string> values = instance.Manifest.Buffers[tensor.Buffer].Type switch
        {
            ElementType.F32 => instance.Floats(tensor.Name).ToArray().Take(Shown).Select(v => v.ToString("G6", CultureInfo.InvariantCulture)),
            ElementType.I32 => instance.Ints(tensor.Name).ToArray().Take(Shown).Select(v => v.ToString(CultureInfo.InvariantCulture)),
            _ => instance.Bytes(tensor.Name).ToArray().Take(Shown).Select(v => v.ToString(CultureInfo.InvariantCulture)),
        };
        var count = instance.ShapeOf(tensor.Name).Aggregate(1L, (p, d) => p * d);
        return string.Join(" ", values) + (count > Shown ? $" … ({count} values)" : "");
    }
}
