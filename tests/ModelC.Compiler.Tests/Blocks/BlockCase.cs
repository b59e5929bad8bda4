using System.Collections.Immutable;
using System.Text.Json;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.Semantics.Elaboration;

namespace ModelC.Compiler.Tests.Blocks;

/// <summary>An input of a block case: its name, element type, concrete shape and the range its values are drawn from.</summary>
internal sealed record BlockInput(string Name, bool IsInteger, ImmutableArray<int> Shape, double Low, double High)
{
    /// <summary>The input's value from <see cref="GoldenValues"/>.</summary>
    public HostTensor Value() => GoldenValues.Input(Name, IsInteger, Shape, Low, High);
}

/// <summary>A parameter or state the reference assigned: its ModelC name and shape.</summary>
internal sealed record BlockLeaf(string Name, ImmutableArray<int> Shape)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name} {HostTensor.FormatShape(Shape)}";
}

/// <summary>
/// One case of <c>tests/golden/blocks/</c>, written by <c>tests/golden/make_block_goldens.py</c>
/// (its docstring describes the format): a ModelC program, the parameters and states the torch
/// reference assigned, the inputs' ranges, and torch's outputs (with the loss and the running
/// statistics' updates in training mode).
/// </summary>
internal sealed class BlockCase
{
    private BlockCase(JsonElement root)
    {
        Name = root.GetProperty("name").GetString()!;
        Description = root.GetProperty("description").GetString()!;
        Model = root.GetProperty("model").GetString()!;
        Mode = root.GetProperty("mode").GetString() switch
        {
            "inference" => ExecutionMode.Inference,
            "training" => ExecutionMode.Training,
            var other => throw new InvalidDataException($"{Name}: unknown mode '{other}'"),
        };
        Batch = root.GetProperty("batch").GetInt32();
        Program = root.GetProperty("program").GetString()!;
        Inputs = [.. root.GetProperty("inputs").EnumerateArray().Select(i => new BlockInput(
            i.GetProperty("name").GetString()!,
            i.GetProperty("dtype").GetString() switch
            {
                "f32" => false,
                "i32" => true,
                var other => throw new InvalidDataException($"{Name}: unknown dtype '{other}'"),
            },
            ReadShape(i.GetProperty("shape")), i.GetProperty("low").GetDouble(), i.GetProperty("high").GetDouble()))];
        Parameters = ReadLeaves(root.GetProperty("parameters"));
        States = ReadLeaves(root.GetProperty("states"));
        Outputs = ReadTensors(root.GetProperty("outputs"));
        Loss = root.GetProperty("loss").ValueKind == JsonValueKind.Null ? null : root.GetProperty("loss").GetDouble();
        StateUpdates = ReadTensors(root.GetProperty("state_updates"));
        Gradients = root.TryGetProperty("gradients", out var gradients) ? ReadTensors(gradients) : ImmutableDictionary<string, HostTensor>.Empty;
    }

    /// <summary>The folder holding the case files.</summary>
    public static string Folder => RepositoryPaths.Get("tests", "golden", "blocks");

    /// <summary>The case name (the file name without extension).</summary>
    public string Name { get; }

    /// <summary>What the case exercises.</summary>
    public string Description { get; }

    /// <summary>The model of <see cref="Program"/> to elaborate.</summary>
    public string Model { get; }

    /// <summary>The execution mode the outputs were computed in.</summary>
    public ExecutionMode Mode { get; }

    /// <summary>The size of the batch dimension in the inputs.</summary>
    public int Batch { get; }

    /// <summary>The complete ModelC program.</summary>
    public string Program { get; }

    /// <summary>Every input the program declares (in inference mode, the graph may use fewer).</summary>
    public ImmutableArray<BlockInput> Inputs { get; }

    /// <summary>The trainable parameters, sorted by name.</summary>
    public ImmutableArray<BlockLeaf> Parameters { get; }

    /// <summary>The states (running statistics), sorted by name.</summary>
    public ImmutableArray<BlockLeaf> States { get; }

    /// <summary>torch's value of every output, by name.</summary>
    public ImmutableDictionary<string, HostTensor> Outputs { get; }

    /// <summary>torch's loss in training mode, else null.</summary>
    public double? Loss { get; }

    /// <summary>torch's updated running statistics in training mode, by state name.</summary>
    public ImmutableDictionary<string, HostTensor> StateUpdates { get; }

    /// <summary>torch's d loss / d leaf for the inputs and parameters the case records (most record none).</summary>
    public ImmutableDictionary<string, HostTensor> Gradients { get; }

    /// <summary>The names of all cases, sorted.</summary>
    public static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(Folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal);

    /// <summary>Reads one case by name.</summary>
    public static BlockCase Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".json")));
        return new BlockCase(document.RootElement);
    }

    /// <summary>Elaborates the case's model in its mode.</summary>
    public ElaboratedModel Elaborate() => CompilerDriver.Elaborate(Program, Model, Mode);

    private static ImmutableArray<int> ReadShape(JsonElement element) => [.. element.EnumerateArray().Select(d => d.GetInt32())];

    private static ImmutableArray<BlockLeaf> ReadLeaves(JsonElement element) =>
        [.. element.EnumerateArray().Select(p => new BlockLeaf(p.GetProperty("name").GetString()!, ReadShape(p.GetProperty("shape"))))];

    private static ImmutableDictionary<string, HostTensor> ReadTensors(JsonElement element) =>
        element.EnumerateArray().ToImmutableDictionary(
            t => t.GetProperty("name").GetString()!,
            t => HostTensor.Create(ReadShape(t.GetProperty("shape")), [.. t.GetProperty("data").EnumerateArray().Select(v => v.GetDouble())]),
            StringComparer.Ordinal);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
