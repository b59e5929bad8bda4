using System.Diagnostics;
using System.Globalization;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Initialization;
using ModelC.Runtime.Manifest;

namespace ModelC.Cli;

/// <summary>What <c>modelc run</c> does with a loaded model: random inputs, timed runs, a printout.</summary>
internal static class ModelExecution
{
    /// <summary>Fills every input from a seeded generator: floats uniform in [−1, 1), integers in [0, 10).</summary>
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
                    for (var i = 0; i < ints.Length; i++)
                    {
                        ints[i] = (int)(random.NextUInt64() % 10);
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

    /// <summary>Runs once to warm up, then <paramref name="repeat"/> timed runs; prints outputs and times.</summary>
    public static void RunAndReport(ModelInstance instance, int repeat, TextWriter output)
    {
        instance.Run();
        var times = new List<double>();
        for (var i = 0; i < repeat; i++)
        {
            var clock = Stopwatch.StartNew();
            instance.Run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        foreach (var tensor in instance.Manifest.TensorsOf(TensorRole.Output))
        {
            var shape = string.Join(", ", instance.ShapeOf(tensor.Name));
            output.WriteLine($"  {tensor.Name} [{shape}] = {Preview(instance, tensor)}");
        }
        if (times.Count > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  forward: {times.Average():F3} ms mean, {times.Min():F3} ms min over {times.Count} runs on {instance.Threads} thread(s)"));
        }
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
