using System.Collections.Immutable;
using ModelC.Compiler.Semantics.Values;
using static ModelC.Compiler.Semantics.Builtins.Params;

namespace ModelC.Compiler.Semantics.Builtins;

/// <summary>Optimizers and learning-rate schedules: named settings that training reads.</summary>
internal static class ConfigBuiltins
{
    private static readonly ConfigValue ConstantSchedule = new(ConfigKind.Schedule, "constant", []);

    public static ImmutableArray<Builtin> All { get; } =
    [
        new ConfigBuiltin("sgd", "Stochastic gradient descent with optional (Nesterov) momentum.", ConfigKind.Optimizer,
            [Float("lr", 0.01, Checks.Positive), Float("momentum", 0.0, Checks.Fraction), Bool("nesterov", false), .. Common(0.0)]),
        new ConfigBuiltin("adam", "Adam; weight decay is added to the gradient (L2).", ConfigKind.Optimizer, [.. Adam(), .. Common(0.0)]),
        new ConfigBuiltin("adamw", "AdamW: Adam with decoupled weight decay.", ConfigKind.Optimizer, [.. Adam(), .. Common(0.01)]),
        new ConfigBuiltin("constant", "The learning rate stays as given.", ConfigKind.Schedule, []),
        new ConfigBuiltin("step", "Multiplies the learning rate by gamma every `every` epochs.", ConfigKind.Schedule,
            [Int("every", Checks.Positive), Float("gamma", 0.1, Checks.Positive)]),
        new ConfigBuiltin("cosine", "Linear warm-up over `warmup` epochs, then cosine decay to min_lr over the rest of the run.", ConfigKind.Schedule,
            [Int("warmup", 0, Checks.NonNegative), Float("min_lr", 0.0, Checks.NonNegative)]),
        new ConfigBuiltin("one_cycle", "One-cycle: up from lr/div_factor to lr over pct_start of the run, then down to lr/(div_factor·final_div_factor), as torch's OneCycleLR.",
            ConfigKind.Schedule,
            [Float("pct_start", 0.3, Checks.Fraction), Float("div_factor", 25.0, Checks.Positive), Float("final_div_factor", 1e4, Checks.Positive)]),
    ];

    private static BuiltinParameter[] Adam() =>
    [
        Float("lr", 1e-3, Checks.Positive), Float("beta1", 0.9, Checks.Fraction), Float("beta2", 0.999, Checks.Fraction),
        Float("eps", 1e-8, Checks.Positive),
    ];

    private static BuiltinParameter[] Common(double weightDecay) =>
    [
        Float("weight_decay", weightDecay, Checks.NonNegative),
        Float("clip", 0.0, Checks.NonNegative),
        BuiltinParameter.WithDefault("schedule", ParameterType.Schedule, ConstantSchedule),
    ];
}
