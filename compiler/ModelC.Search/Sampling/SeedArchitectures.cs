using ModelC.Search.Space;

namespace ModelC.Search.Sampling;

/// <summary>
/// Known architectures written as derivations of the grammar, to start a population from
/// (einspace seeds its evolution with them): a small ResNet, made of the same convolutions as
/// std.einspace's <c>einconv</c> and residuals as its <c>einresidual</c>. A seed is a tree like
/// any sample, so mutation edits it like one.
/// </summary>
public static class SeedArchitectures
{
    /// <summary>The names <see cref="Of"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["resnet"];

    /// <summary>The seed called <paramref name="name"/> for inputs of shape <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">No seed of that name, or it does not fit the input (ResNet needs images).</exception>
    public static ArchitectureNode Of(string name, FeatureShape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return name switch
        {
            "resnet" when input.IsImage => ResNet(32)(input),
            "resnet" => throw new ArgumentException($"the resnet seed needs images (C, H, W), not inputs {input}", nameof(input)),
            _ => throw new ArgumentException($"no seed architecture '{name}' (seeds: {string.Join(", ", Names)})", nameof(name)),
        };
    }

    // A module for an input shape: seeds are written top-down, each part built on the shape before it.
    private delegate ArchitectureNode Module(FeatureShape input);

    /// <summary>
    /// einconv(w) >> norm >> leaky_relu, two basic blocks einresidual(einconv(w) >> norm >>
    /// leaky_relu >> einconv(w) >> norm) >> leaky_relu, then a strided einconv(2w, 3, 2, 1).
    /// </summary>
    private static Module ResNet(int width)
    {
        Module Conv(int w, int k = 3, int s = 1, int p = 1) => Route(EinspaceTerminals.Im2Col(k, s, p), Computation(EinspaceTerminals.Linear(w)), EinspaceTerminals.Col2ImOfGrid);
        Module Block(int w) => Sequence(
            Branch(EinspaceTerminals.Clone(2), [Sequence(Conv(w), Computation(EinspaceTerminals.Norm), Computation(EinspaceTerminals.LeakyRelu), Conv(w), Computation(EinspaceTerminals.Norm)), Computation(EinspaceTerminals.Identity(TerminalKind.Computation))], EinspaceTerminals.Add),
            Computation(EinspaceTerminals.LeakyRelu));
        return Sequence(Conv(width), Computation(EinspaceTerminals.Norm), Computation(EinspaceTerminals.LeakyRelu), Block(width), Block(width),
            Conv(2 * width, 3, 2, 1), Computation(EinspaceTerminals.Norm), Computation(EinspaceTerminals.LeakyRelu));
    }

    private static Module Computation(Terminal terminal) => x => ModuleRules.Computation(terminal, x) ?? throw Unfit(terminal, x);

    private static Module Sequence(params Module[] parts) => x => parts.Skip(1).Aggregate(parts[0](x), (done, next) => new SequentialNode(done, next(done.Output)));

    private static Module Route(Terminal pre, Module inner, Terminal post) => x =>
    {
        var routed = pre.Apply(x) ?? throw Unfit(pre, x);
        var body = inner(routed.Outputs[0]);
        return ModuleRules.Routing(x, pre, body, post) ?? throw Unfit(post, body.Output);
    };

    private static Module Branch(Terminal splitter, Module[] inners, Terminal merge) => x =>
    {
        var parts = (splitter.Apply(x) ?? throw Unfit(splitter, x)).Outputs;
        var nodes = inners.Select((inner, i) => inner(parts[i])).ToArray();
        return ModuleRules.Branching(x, splitter, parts.Length, [.. nodes], merge) ?? throw Unfit(merge, nodes[0].Output);
    };

    private static ArgumentException Unfit(Terminal terminal, FeatureShape shape) => new($"the seed's {terminal} does not fit {shape}");
}
