using ModelC.Search.Space;

namespace ModelC.Search.Sampling;

/// <summary>
/// Known architectures written as derivations of the grammar, to start a population from
/// (einspace seeds its evolution with them), made of std.einspace's blocks: a small ResNet
/// (<c>einconv</c>, <c>einresidual</c>), a small ViT (<c>vit_stem</c>, <c>vit_layer</c>) and a
/// small MLP-Mixer (<c>mixer_layer</c>), sized for small images such as the 8×8 digits. A seed is
/// a tree like any sample, so mutation edits it like one.
/// </summary>
public static class SeedArchitectures
{
    /// <summary>The names <see cref="Of"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["resnet", "vit", "mixer"];

    /// <summary>The seed called <paramref name="name"/> for inputs of shape <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">No seed of that name, or it does not fit the input (every seed needs images).</exception>
    public static ArchitectureNode Of(string name, FeatureShape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Module seed = name switch
        {
            "resnet" => ResNet(16),
            "vit" => Vit(width: 32, patch: 2, heads: 4, layers: 2),
            "mixer" => Mixer(width: 32, patch: 2, layers: 2),
            _ => throw new ArgumentException($"no seed architecture '{name}' (seeds: {string.Join(", ", Names)})", nameof(name)),
        };
        return input.IsImage ? seed(input) : throw new ArgumentException($"the {name} seed needs images (C, H, W), not inputs {input}", nameof(input));
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
            Residual(Sequence(Conv(w), Computation(EinspaceTerminals.Norm), Computation(EinspaceTerminals.LeakyRelu), Conv(w), Computation(EinspaceTerminals.Norm))),
            Computation(EinspaceTerminals.LeakyRelu));
        return Sequence(Conv(width), Computation(EinspaceTerminals.Norm), Computation(EinspaceTerminals.LeakyRelu), Block(width), Block(width),
            Conv(2 * width, 3, 2, 1), Computation(EinspaceTerminals.Norm), Computation(EinspaceTerminals.LeakyRelu));
    }

    /// <summary>
    /// vit_stem (patches to tokens of width d, pos_enc), then vit_layer: x ← norm(x + MHSA(x)),
    /// x ← norm(x + FFN(x)), with heads of width d / heads concatenated as einmhsa does.
    /// </summary>
    private static Module Vit(int width, int patch, int heads, int layers)
    {
        // sdpa: softmax(q·kᵀ/√k)·v, kᵀ routed by a permute.
        var head = Branch(EinspaceTerminals.Clone(2),
            [
                Sequence(Branch(EinspaceTerminals.Clone(2), [Linear(width / heads), Route(Identity(TerminalKind.PreRoute), Linear(width / heads), Transpose(TerminalKind.PostRoute))], EinspaceTerminals.ScaledMatMul),
                    Computation(EinspaceTerminals.Softmax)),
                Linear(width / heads),
            ], EinspaceTerminals.MatMul);
        var attention = Sequence(Branch(EinspaceTerminals.Clone(heads), [head], EinspaceTerminals.Concat(2)), Linear(width));
        var layer = Sequence(Residual(attention), Computation(EinspaceTerminals.Norm),
            Residual(Sequence(Linear(width), Computation(EinspaceTerminals.LeakyRelu), Linear(width))), Computation(EinspaceTerminals.Norm));
        return Sequence([Stem(width, patch), Computation(EinspaceTerminals.PositionalEncoding), .. Enumerable.Repeat(layer, layers)]);
    }

    /// <summary>
    /// Patches to tokens of width d, then mixer_layer: x + (norm >> token mixing S → 4S → S on
    /// the transposed tokens >> channel mixing D → D/2 → D)(x).
    /// </summary>
    private static Module Mixer(int width, int patch, int layers)
    {
        ArchitectureNode Layer(FeatureShape x) => Residual(Sequence(
            Computation(EinspaceTerminals.Norm),
            Route(Transpose(TerminalKind.PreRoute), Linear(4 * x[1]), Identity(TerminalKind.PostRoute)),
            Computation(EinspaceTerminals.LeakyRelu),
            Route(Identity(TerminalKind.PreRoute), Linear(x[1]), Transpose(TerminalKind.PostRoute)),
            Linear(x.Features / 2),
            Computation(EinspaceTerminals.LeakyRelu),
            Linear(x.Features)))(x);
        return Sequence([Stem(width, patch), .. Enumerable.Repeat<Module>(Layer, layers)]);
    }

    // Patches of the image to tokens of width d: route im2col(p, p, 0) [ linear(d) ] identity.
    private static Module Stem(int width, int patch) => Route(EinspaceTerminals.Im2Col(patch, patch, 0), Linear(width), Identity(TerminalKind.PostRoute));

    private static Module Residual(Module body) => Branch(EinspaceTerminals.Clone(2), [body, Computation(Identity(TerminalKind.Computation))], EinspaceTerminals.Add);

    private static Module Linear(int n) => Computation(EinspaceTerminals.Linear(n));

    private static Terminal Identity(TerminalKind kind) => EinspaceTerminals.Identity(kind);

    // permute(0, 2, 1) of tokens.
    private static Terminal Transpose(TerminalKind kind) => EinspaceTerminals.Permute(kind, 2, 1);

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
