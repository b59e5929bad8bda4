using ModelC.Compiler.Semantics.Values;
using ModelC.Runtime.Manifest;

namespace ModelC.Compiler.Passes.Optimizers;

/// <summary>Turns a model's <c>optimizer</c> declaration into the settings a train step compiles.</summary>
public static class OptimizerSettings
{
    /// <summary>What a model with a loss and no <c>optimizer</c> statement trains with: <c>adam()</c>.</summary>
    public static OptimizerSpec Default { get; } =
        new(OptimizerKind.Adam, 1e-3, 0, false, 0.9, 0.999, 1e-8, 0, 0, ScheduleSpec.Constant);

    /// <summary>
    /// The settings of <paramref name="optimizer"/> (a checked <c>sgd</c>, <c>adam</c> or
    /// <c>adamw</c> value with every setting resolved), or <see cref="Default"/> when null.
    /// </summary>
    public static OptimizerSpec From(ConfigValue? optimizer)
    {
        if (optimizer is null)
        {
            return Default;
        }
        if (optimizer.Kind != ConfigKind.Optimizer)
        {
            throw new ArgumentException($"{optimizer.Display} is a {optimizer.TypeName}, not an optimizer", nameof(optimizer));
        }
        var kind = optimizer.Name switch
        {
            "sgd" => OptimizerKind.Sgd,
            "adam" => OptimizerKind.Adam,
            "adamw" => OptimizerKind.AdamW,
            _ => throw new ArgumentException($"unknown optimizer {optimizer.Name}", nameof(optimizer)),
        };
        var sgd = kind == OptimizerKind.Sgd;
        return new OptimizerSpec(
            kind,
            Number(optimizer, "lr"),
            sgd ? Number(optimizer, "momentum") : 0,
            sgd && optimizer["nesterov"] is BoolValue { Value: true },
            sgd ? Default.Beta1 : Number(optimizer, "beta1"),
            sgd ? Default.Beta2 : Number(optimizer, "beta2"),
            sgd ? Default.Epsilon : Number(optimizer, "eps"),
            Number(optimizer, "weight_decay"),
            Number(optimizer, "clip"),
            Schedule((ConfigValue)optimizer["schedule"]));
    }

    private static ScheduleSpec Schedule(ConfigValue schedule) => schedule.Name switch
    {
        "step" => new ScheduleSpec(ScheduleKind.Step, Every: (int)Number(schedule, "every"), Gamma: Number(schedule, "gamma")),
        "cosine" => new ScheduleSpec(ScheduleKind.Cosine, Warmup: (int)Number(schedule, "warmup"), MinLearningRate: Number(schedule, "min_lr")),
        "one_cycle" => new ScheduleSpec(ScheduleKind.OneCycle, PctStart: Number(schedule, "pct_start"),
            DivFactor: Number(schedule, "div_factor"), FinalDivFactor: Number(schedule, "final_div_factor")),
        _ => ScheduleSpec.Constant,
    };

    private static double Number(ConfigValue config, string key) => config[key] switch
    {
        FloatValue f => f.Value,
        IntValue i => i.Value,
        var other => throw new ArgumentException($"{config.Name}'s {key} is {other.Display}, not a number", nameof(config)),
    };
}
