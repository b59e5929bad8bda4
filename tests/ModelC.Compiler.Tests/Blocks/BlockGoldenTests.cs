using System.Collections.Immutable;
using ModelC.Compiler.Autodiff;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Semantics;
using ModelC.Compiler.Semantics.Builtins;
using ModelC.Compiler.Semantics.Symbols;
using ModelC.Compiler.Tests.Autodiff;

namespace ModelC.Compiler.Tests.Blocks;

/// <summary>
/// Whole programs against PyTorch float64: every case in <c>tests/golden/blocks/</c> is elaborated,
/// its parameter and state names and shapes must be exactly those the torch reference assigned, and
/// the reference interpreter, fed the same generated values (<see cref="GoldenValues"/>), must
/// reproduce torch's outputs, loss and running-statistics updates (and, where a case records them,
/// the loss's gradients by reverse mode) to 1e-9 relative. The coverage
/// facts require a case for every standard-library block and every built-in layer.
/// </summary>
public sealed class BlockGoldenTests
{
    /// <summary>
    /// Blocks and layers allowed to have no case, with the reason. None: every block of std.nn,
    /// std.mgno and std.einspace and every built-in layer is applied directly by some case's model.
    /// </summary>
    private static readonly ImmutableDictionary<string, string> NotCovered = ImmutableDictionary<string, string>.Empty;

    private static readonly Lazy<ImmutableHashSet<string>> CoveredKinds = new(() =>
        [.. BlockCase.Names().Select(BlockCase.Load).SelectMany(c => c.Elaborate().Scopes.Children).Select(s => s.Kind)]);

    /// <summary>One row per case file.</summary>
    public static TheoryData<string> Cases() => [.. BlockCase.Names()];

    /// <summary>Elaborates the case, checks its parameter names, runs it and compares every result with torch's.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorch(string name) => Run(name);

    /// <summary>Every block declared by the standard library is applied by some case's model.</summary>
    [Fact]
    public void EveryStandardLibraryBlockHasACase()
    {
        const string Probe = "import std.nn;\nimport std.mgno;\nimport std.einspace;\nmodel Probe { input x: f32[1]; output y = x; }\n";
        var compilation = Compilation.FromSource(Path.Combine(RepositoryPaths.Root, "probe.mdl"), Probe, CompilerDriver.Options);
        Assert.False(compilation.HasErrors);
        var modules = compilation.Modules.Where(m => m.StandardName is not null).ToList();
        Assert.Equal(["std.einspace", "std.mgno", "std.nn"], modules.Select(m => m.StandardName!).Order(StringComparer.Ordinal));
        var blocks = modules.SelectMany(m => m.Declarations.Values.OfType<BlockSymbol>().Select(b => (Module: m.StandardName!, b.Name))).ToList();
        Assert.True(blocks.Count >= 30, $"only {blocks.Count} standard-library blocks found");
        var missing = blocks.Where(b => !CoveredKinds.Value.Contains(b.Name) && !NotCovered.ContainsKey(b.Name))
            .Select(b => $"{b.Module}.{b.Name}").Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "no golden case applies: " + string.Join(", ", missing));
    }

    /// <summary>Every built-in layer is applied by some case's model.</summary>
    [Fact]
    public void EveryBuiltinLayerHasACase()
    {
        var layers = BuiltinRegistry.Groups.SelectMany(g => g.Members).OfType<LayerBuiltin>().Select(l => l.Name).ToList();
        Assert.True(layers.Count >= 40, $"only {layers.Count} built-in layers found");
        var missing = layers.Where(l => !CoveredKinds.Value.Contains(l) && !NotCovered.ContainsKey(l)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "no golden case applies: " + string.Join(", ", missing));
    }

    /// <summary>The generator reproduces values computed by the Python script (and the published SplitMix64 and FNV-1a constants).</summary>
    [Fact]
    public void GeneratorMatchesThePythonScript()
    {
        Assert.Equal(0xCBF29CE484222325UL, GoldenValues.Fnv1a(""));
        Assert.Equal(0xAF63DC4C8601EC8CUL, GoldenValues.Fnv1a("a"));
        Assert.Equal(0x8504A904B913980AUL, GoldenValues.Fnv1a("y.linear_0.weight"));
        Assert.Equal([0xE220A8397B1DCDAFUL, 0x6E789E6AA1B965F4UL, 0x06C45D188009454FUL], GoldenValues.SplitMix64(0, 3));
        Assert.Equal([-0.9233454442997688, -0.3625203074706562, -0.698059523439065], GoldenValues.Uniform("input:x", 3, -1.0, 1.0));
        Assert.Equal([3.0, 12.0, 12.0, 1.0], GoldenValues.Integers("input:ids", 4, -4, 14));
        Assert.Equal(
            [0.29929072776142285, 0.2545859107345312, -0.3493342490183776, 0.1832827458379922, 0.4727200945514797, -0.37798017967611086],
            GoldenValues.Parameter("y.linear_0.weight", [2, 3]).ToArray());
    }

    private static void Run(string name)
    {
        var golden = BlockCase.Load(name);
        var graph = golden.Elaborate().Graph;

        AssertLeaves(name, "parameters", golden.Parameters, graph.Parameters.Select(n => (((ParameterOp)n.Op).Name, n.Type.Shape)));
        AssertLeaves(name, "states", golden.States, graph.States.Select(n => (((StateOp)n.Op).Name, n.Type.Shape)));

        var inputs = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
        foreach (var node in graph.Inputs)
        {
            var input = ((InputOp)node.Op).Name;
            var spec = golden.Inputs.SingleOrDefault(i => i.Name == input)
                ?? throw new InvalidDataException($"{name}: the graph's input '{input}' is not in the case file");
            inputs[input] = spec.Value();
        }
        var parameters = golden.Parameters.Concat(golden.States)
            .ToDictionary(p => p.Name, p => GoldenValues.Parameter(p.Name, p.Shape), StringComparer.Ordinal);

        var result = ReferenceInterpreter.Run(graph, inputs, parameters);

        Assert.All(result.Bindings.Values, size => Assert.Equal(golden.Batch, size));
        Assert.Equal(golden.Outputs.Keys.Order(StringComparer.Ordinal), result.Outputs.Keys.Order(StringComparer.Ordinal));
        foreach (var (output, expected) in golden.Outputs.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            TensorAssert.Close(expected, result.Outputs[output], context: $"{name}: output {output}");
        }

        if (golden.Loss is { } loss)
        {
            Assert.NotNull(result.Loss);
            TensorAssert.Close(HostTensor.Scalar(loss), result.Loss, context: $"{name}: loss");
        }
        else
        {
            Assert.Null(result.Loss);
        }

        Assert.Equal(golden.StateUpdates.Keys.Order(StringComparer.Ordinal), result.StateUpdates.Keys.Order(StringComparer.Ordinal));
        foreach (var (state, expected) in golden.StateUpdates.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            TensorAssert.Close(expected, result.StateUpdates[state], context: $"{name}: update of {state}");
        }
        AssertGradients(name, golden, graph, inputs, parameters);
    }

    // Reverse mode through the interpreter against torch's autograd, for the leaves the case records.
    private static void AssertGradients(string name, BlockCase golden, Graph graph,
        Dictionary<string, HostTensor> inputs, Dictionary<string, HostTensor> parameters)
    {
        if (golden.Gradients.IsEmpty)
        {
            return;
        }
        var leaves = graph.Nodes.Where(n => n.Op is InputOp or ParameterOp && golden.Gradients.ContainsKey(GradientCheck.LeafName(n))).ToList();
        Assert.Equal(golden.Gradients.Count, leaves.Count);
        var gradients = ReferenceInterpreter.Run(ReverseMode.Differentiate(graph, leaves), inputs, parameters).Gradients;
        foreach (var (leaf, expected) in golden.Gradients.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            TensorAssert.Close(expected, gradients[leaf], context: $"{name}: gradient of the loss by {leaf}");
        }
    }

    // The graph's leaves must be exactly the recorded ones, so a renamed scope fails here.
    private static void AssertLeaves(string name, string what, ImmutableArray<BlockLeaf> expected, IEnumerable<(string Name, Shape Shape)> actual)
    {
        var have = actual.Select(a => new BlockLeaf(a.Name, [.. a.Shape.Dims.Select(d => d.FixedSize)]).ToString()).ToHashSet(StringComparer.Ordinal);
        var want = expected.Select(e => e.ToString()).ToHashSet(StringComparer.Ordinal);
        var missing = want.Except(have).Order(StringComparer.Ordinal).ToList();
        var unexpected = have.Except(want).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && unexpected.Count == 0,
            $"{name}: the graph's {what} differ from the reference's\n  missing: {string.Join(", ", missing)}\n  unexpected: {string.Join(", ", unexpected)}");
    }
}
