using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.Semantics.Values;
using static ModelC.Compiler.Semantics.Builtins.Params;

namespace ModelC.Compiler.Semantics.Builtins;

/// <summary>
/// The weight initialisers a layer's <c>init</c> or a free <c>parameter</c> can name, and the
/// distribution each gives a tensor of a given shape. Fans are PyTorch's (torch.nn.init): for a
/// tensor [d₀, d₁, d₂, …], fan_in = d₁·d₂·… and fan_out = d₀·d₂·…, which is right for linear
/// [out, in], conv [out, in/groups, k, k] and conv_transpose [in, out, k, k] weights alike.
/// <c>orthogonal</c> reads the tensor as its first dimension by the rest, as torch does.
/// <c>zeros</c> (the padding mode's name) is accepted where an initialiser is expected.
/// </summary>
internal static class Initializers
{
    /// <summary>Every element 0.</summary>
    public static ConfigValue Zeros { get; } = new(ConfigKind.Init, "zeros", []);

    public static ImmutableArray<Builtin> All { get; } =
    [
        Init("uniform", "U(low, high), torch.nn.init.uniform_.", [Float("low"), Float("high")]),
        Init("normal", "N(mean, std²), torch.nn.init.normal_.", [Float("mean", 0.0), Float("std", 1.0, Checks.Positive)]),
        Init("lecun_normal", "N(0, 1/fan_in), LeCun's initialisation for SELU networks (torch's kaiming_normal_ with nonlinearity 'linear').", []),
        Init("xavier_uniform", "U(±gain·√(6/(fan_in + fan_out))), Glorot and Bengio's, torch.nn.init.xavier_uniform_.", [Float("gain", 1.0, Checks.Positive)]),
        Init("xavier_normal", "N(0, gain²·2/(fan_in + fan_out)), torch.nn.init.xavier_normal_.", [Float("gain", 1.0, Checks.Positive)]),
        Init("kaiming_uniform", "U(±√(6/((1 + a²)·fan_in))), He et al.'s for (leaky) ReLU with negative slope a, torch.nn.init.kaiming_uniform_.",
            [Float("a", 0.0, Checks.NonNegative)]),
        Init("kaiming_normal", "N(0, 2/((1 + a²)·fan_in)), torch.nn.init.kaiming_normal_.", [Float("a", 0.0, Checks.NonNegative)]),
        Init("orthogonal", "gain times a matrix (the first dimension by the rest) with orthonormal rows or columns, whichever are fewer: the Q of a normal matrix's QR, torch.nn.init.orthogonal_ (for RNNs' recurrent weights).",
            [Float("gain", 1.0, Checks.Positive)]),
    ];

    /// <summary>Whether an initialiser needs the tensor's fans, which need a rank of at least 2.</summary>
    public static bool NeedsFans(ConfigValue init) => init.Name is not ("uniform" or "normal" or "zeros");

    /// <summary>The distribution <paramref name="init"/> gives a tensor of this shape (of rank ≥ 2 when it <see cref="NeedsFans"/>).</summary>
    public static ParameterInit For(ConfigValue init, Shape shape)
    {
        double Setting(string name) => ((FloatValue)init[name]).Value;
        switch (init.Name)
        {
            case "zeros":
                return new ConstantInit(0);
            case "uniform":
                return new UniformInit(Setting("low"), Setting("high"));
            case "normal":
                return new NormalInit(Setting("mean"), Setting("std"));
        }
        var receptive = shape.Dims.Skip(2).Aggregate(1.0, (product, d) => product * d.FixedSize);
        var fanIn = shape.Dims[1].FixedSize * receptive;
        var fanOut = shape.Dims[0].FixedSize * receptive;
        // The operations in torch.nn.init's order, so that the numbers agree to the last bit.
        var xavierStd = init.Name.StartsWith("xavier", StringComparison.Ordinal) ? Setting("gain") * Math.Sqrt(2.0 / (fanIn + fanOut)) : 0;
        var kaimingStd = init.Name.StartsWith("kaiming", StringComparison.Ordinal) ? Math.Sqrt(2.0 / (1 + Math.Pow(Setting("a"), 2))) / Math.Sqrt(fanIn) : 0;
        return init.Name switch
        {
            "lecun_normal" => new NormalInit(0, 1 / Math.Sqrt(fanIn)),
            "xavier_uniform" => Symmetric(Math.Sqrt(3.0) * xavierStd),
            "xavier_normal" => new NormalInit(0, xavierStd),
            "kaiming_uniform" => Symmetric(Math.Sqrt(3.0) * kaimingStd),
            "kaiming_normal" => new NormalInit(0, kaimingStd),
            "orthogonal" => new OrthogonalInit(Setting("gain"), shape.Dims[0].FixedSize),
            _ => throw new ArgumentException($"unknown initialiser '{init.Name}'", nameof(init)),
        };
    }

    private static UniformInit Symmetric(double bound) => new(-bound, bound);

    private static ConfigBuiltin Init(string name, string summary, ImmutableArray<BuiltinParameter> parameters) =>
        new(name, summary, ConfigKind.Init, parameters);
}
