using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Backend.Scheduling;
using ModelC.Backend.Targets;
using ModelC.Compiler.IR;
using ModelC.Compiler.Interpreter;
using ModelC.Runtime;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Tests;

/// <summary>
/// Runs a graph both ways: compiled (JIT) and in the reference interpreter, from the same
/// float32 inputs and parameters, and returns both sets of results.
/// </summary>
internal sealed class CompiledRun
{
    private CompiledRun(Dictionary<string, HostTensor>[] compiled, Func<GraphOutput, HostTensor> expected, Graph graph)
    {
        Runs = compiled;
        expectedOf = expected;
        Graph = graph;
    }

    // The reference's value of each result: the interpreter's, or another target's.
    private readonly Func<GraphOutput, HostTensor> expectedOf;

    /// <summary>The compiled model's results by name (as doubles), from the first thread count.</summary>
    public Dictionary<string, HostTensor> Compiled => Runs[0];

    /// <summary>The results of each thread count, in the order asked.</summary>
    public Dictionary<string, HostTensor>[] Runs { get; }

    /// <summary>The graph the reference ran (the compiled one's results have the same names).</summary>
    public Graph Graph { get; }

    /// <summary>
    /// Compiles <paramref name="graph"/> once, runs it with each of <paramref name="threads"/>
    /// thread counts (default 1), and runs the interpreter on the same float32 values.
    /// </summary>
    public static CompiledRun Execute(Graph graph, IReadOnlyDictionary<string, HostTensor> inputs, params int[] threads) =>
        Execute(graph, graph, inputs, null, threads);

    /// <summary>
    /// As the other overloads, but the interpreter runs <paramref name="reference"/>, a graph with
    /// the same inputs, parameters, states and results (say, before the pass pipeline), so that
    /// the compiled <paramref name="graph"/> is checked against it.
    /// </summary>
    public static CompiledRun Execute(Graph graph, Graph reference, IReadOnlyDictionary<string, HostTensor> inputs, params int[] threads) =>
        Execute(graph, reference, inputs, null, threads);

    /// <summary>
    /// As <see cref="Execute(Graph, IReadOnlyDictionary{string, HostTensor}, int[])"/>, compiled for
    /// <paramref name="target"/> (a CPU this machine can run, e.g. an AVX2 one on an AVX-512 host,
    /// so that every micro-kernel width is tested here) and loaded in process; the host when null.
    /// </summary>
    public static CompiledRun Execute(Graph graph, IReadOnlyDictionary<string, HostTensor> inputs, CpuTarget? target, params int[] threads) =>
        Execute(graph, graph, inputs, target, threads);

    /// <summary>
    /// Compiles <paramref name="graph"/> for <paramref name="target"/>, runs it once on the device
    /// <paramref name="device"/> creates (the CPU when null), and runs <paramref name="reference"/>
    /// in the interpreter on the same values (the GPU tests' entry). Parameters and states named in
    /// <paramref name="leaves"/> take those values; the others the instance's own.
    /// </summary>
    public static CompiledRun Execute(Graph graph, Graph reference, IReadOnlyDictionary<string, HostTensor> inputs, ICompileTarget target, IComputeDeviceFactory? device,
        IReadOnlyDictionary<string, HostTensor>? leaves = null) =>
        Execute(graph, reference, inputs, target, [1], device, leaves);

    /// <summary>
    /// Compiles <paramref name="graph"/> for <paramref name="target"/> and runs it once on the device
    /// <paramref name="device"/> creates, and compiles and runs it for the host CPU on the same
    /// inputs, parameters and states: the reference is the CPU backend rather than the interpreter
    /// (for models too large for the interpreter at test time). Parameters and states named in
    /// <paramref name="leaves"/> take those values; the others the instance's own.
    /// </summary>
    public static CompiledRun AgainstCpu(Graph graph, IReadOnlyDictionary<string, HostTensor> inputs, ICompileTarget target, IComputeDeviceFactory device,
        IReadOnlyDictionary<string, HostTensor> leaves)
    {
        var run = RunCompiled(graph, inputs, target, [1], device, given: leaves);
        var cpu = RunCompiled(graph, inputs, CpuTarget.Host, [1], device: null, given: run.Leaves);
        return new CompiledRun(run.Outputs, output => cpu.Outputs[0][ProgramBuilder.TensorName(output)], graph);
    }

    private static CompiledRun Execute(Graph graph, Graph reference, IReadOnlyDictionary<string, HostTensor> inputs, ICompileTarget? target, int[] threads,
        IComputeDeviceFactory? device = null, IReadOnlyDictionary<string, HostTensor>? leaves = null)
    {
        var run = RunCompiled(graph, inputs, target ?? CpuTarget.Host, threads, device, given: leaves);
        var interpreted = ReferenceInterpreter.Run(reference, run.Inputs, run.Leaves);
        return new CompiledRun(run.Outputs, output => interpreted.ValueOf(output.Value), reference);
    }

    // Compiles once and runs once per thread count; parameters and states are the instance's own
    // (seeded) unless given a value. Returns each run's outputs, and the inputs and leaves as float32 held them.
    private static (Dictionary<string, HostTensor>[] Outputs, Dictionary<string, HostTensor> Inputs, Dictionary<string, HostTensor> Leaves) RunCompiled(
        Graph graph, IReadOnlyDictionary<string, HostTensor> inputs, ICompileTarget target, int[] threads, IComputeDeviceFactory? device,
        IReadOnlyDictionary<string, HostTensor>? given)
    {
        const ulong Seed = 7;
        var compiled = ModelCompiler.Compile(graph, target);
        // The kernels' clamping of out-of-range indices is compared with the interpreter's, so the
        // runtime's range check of index inputs (which would refuse them) is left out here.
        var manifest = compiled.Manifest with { Tensors = [.. compiled.Manifest.Tensors.Select(t => t with { IndexBound = null })] };
        using var kernels = compiled.Kernels;
        var symbols = Bind(graph, inputs);
        Dictionary<string, HostTensor>? leaves = null;
        Dictionary<string, HostTensor>? roundedInputs = null;
        var runs = new List<Dictionary<string, HostTensor>>();
        foreach (var count in threads.Length == 0 ? [1] : threads)
        {
            using var instance = new ModelInstance(manifest, kernels, symbols, new ModelOptions(count, Seed, device));
            foreach (var input in manifest.TensorsOf(TensorRole.Input))
            {
                Write(instance, manifest, input, inputs[input.Name]);
            }
            var leafTensors = manifest.Tensors.Where(t => t.Role is TensorRole.Parameter or TensorRole.State).ToList();
            if (given is not null)
            {
                leafTensors.Where(t => given.ContainsKey(t.Name)).ToList().ForEach(t => Write(instance, manifest, t, given[t.Name]));
            }
            leaves ??= leafTensors.ToDictionary(t => t.Name, t => Read(instance, manifest, t));
            roundedInputs ??= manifest.TensorsOf(TensorRole.Input).ToDictionary(t => t.Name, t => Read(instance, manifest, t));
            instance.Run();
            runs.Add(manifest.TensorsOf(TensorRole.Output).ToDictionary(t => t.Name, t => Read(instance, manifest, t)));
        }
        return ([.. runs], roundedInputs!, leaves!);
    }

    /// <summary>Fails unless every run gave the same bits as the first.</summary>
    public void AssertRunsIdentical()
    {
        foreach (var run in Runs.Skip(1))
        {
            foreach (var (name, value) in Compiled)
            {
                Assert.True(value.Data.SequenceEqual(run[name].Data), $"{name}: another thread count gave different bits");
            }
        }
    }

    /// <summary>
    /// Fails unless every compiled result is within <paramref name="tolerance"/> of the
    /// interpreter's, normwise: <c>|a − e| ≤ tolerance · max(|e|, M)</c> with M the largest |e| of the
    /// tensor (<see cref="Compiler.Tests.TensorAssert"/>'s rule with the floor at M). A float32 sum
    /// of terms of size M carries an absolute error of some ulp of M whatever the sum's own size,
    /// so elements that cancel far below M cannot be held to 1e-5 of themselves. Gradients share
    /// one M, the largest |e| of any gradient: one that is zero by symmetry (a key bias under
    /// softmax, a bias before batch norm) is a sum of terms the size of the others that cancels
    /// exactly only in exact arithmetic. For the same reason each kind of optimizer moment
    /// (<c>exp_avg</c>, <c>exp_avg_sq</c>, <c>momentum_buffer</c>) shares one M over all parameters.
    /// </summary>
    public void AssertClose(double tolerance = 1e-5)
    {
        var scales = Graph.Outputs
            .Where(o => ScaleGroup(o) is not null)
            .GroupBy(o => ScaleGroup(o)!)
            .ToDictionary(g => g.Key, g => g.Max(o => Compiler.Tests.TensorAssert.LargestMagnitude(expectedOf(o))));
        foreach (var output in Graph.Outputs)
        {
            var expected = expectedOf(output);
            var name = ProgramBuilder.TensorName(output);
            Compiler.Tests.TensorAssert.Close(
                expected, Compiled[name], output.Value.Type.ElementType == ElementType.F32 ? tolerance : 0, name, floorFraction: 1,
                magnitude: ScaleGroup(output) is { } group ? scales[group] : null);
        }
    }

    // Results whose every element may be a cancelled sum of terms the size of the group's largest.
    private static string? ScaleGroup(GraphOutput output) => output.Role switch
    {
        OutputRole.Gradient => "gradient",
        OutputRole.StateUpdate when output.Name.StartsWith("optimizer.", StringComparison.Ordinal) && output.Value.Type.Shape.Rank > 0 =>
            output.Name[(output.Name.LastIndexOf('.') + 1)..],
        _ => null,
    };

    private static Dictionary<string, int> Bind(Graph graph, IReadOnlyDictionary<string, HostTensor> inputs)
    {
        var symbols = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var input in graph.Inputs)
        {
            var name = ((Compiler.IR.Ops.InputOp)input.Op).Name;
            var dims = input.Type.Shape.Dims;
            for (var i = 0; i < dims.Length; i++)
            {
                if (dims[i].Symbol is { } s)
                {
                    symbols[s] = inputs[name].Shape[i];
                }
            }
        }
        return symbols;
    }

    private static void Write(ModelInstance instance, ModelManifest manifest, TensorSpec tensor, HostTensor value)
    {
        switch (manifest.Buffers[tensor.Buffer].Type)
        {
            case ElementType.F32:
                var floats = instance.Floats(tensor.Name);
                for (var i = 0; i < floats.Length; i++)
                {
                    floats[i] = (float)value.Data[i];
                }
                break;
            case ElementType.I32:
                var ints = instance.Ints(tensor.Name);
                for (var i = 0; i < ints.Length; i++)
                {
                    ints[i] = (int)value.Data[i];
                }
                break;
            default:
                var bytes = instance.Bytes(tensor.Name);
                for (var i = 0; i < bytes.Length; i++)
                {
                    bytes[i] = value.Data[i] != 0 ? (byte)1 : (byte)0;
                }
                break;
        }
    }

    private static HostTensor Read(ModelInstance instance, ModelManifest manifest, TensorSpec tensor)
    {
        var shape = instance.ShapeOf(tensor.Name).Select(d => (int)d).ToArray();
        double[] data = manifest.Buffers[tensor.Buffer].Type switch
        {
            ElementType.F32 => [.. instance.Floats(tensor.Name).ToArray().Select(v => (double)v)],
            ElementType.I32 => [.. instance.Ints(tensor.Name).ToArray().Select(v => (double)v)],
            _ => [.. instance.Bytes(tensor.Name).ToArray().Select(v => (double)v)],
        };
        return HostTensor.Create(shape, data);
    }
}
