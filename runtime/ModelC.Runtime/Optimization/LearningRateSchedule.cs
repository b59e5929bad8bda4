using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Optimization;

/// <summary>
/// The learning rate of each step under a <see cref="ScheduleSpec"/>: pure functions of the
/// step number and the length of the run, so a resumed run continues the same curve.
/// </summary>
public static class LearningRateSchedule
{
    /// <summary>The learning rate for step <paramref name="step"/> (0-based) of a run.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="baseRate">The optimizer's learning rate (the peak, for one-cycle).</param>
    /// <param name="step">Optimizer steps taken before this one.</param>
    /// <param name="stepsPerEpoch">Batches per epoch (step and cosine count epochs).</param>
    /// <param name="totalSteps">Steps in the whole run (cosine and one-cycle span it).</param>
    public static double At(ScheduleSpec schedule, double baseRate, long step, long stepsPerEpoch, long totalSteps)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        return schedule.Kind switch
        {
            ScheduleKind.Step => baseRate * Math.Pow(schedule.Gamma, step / stepsPerEpoch / schedule.Every),
            ScheduleKind.Cosine => Cosine(schedule, baseRate, step, stepsPerEpoch, totalSteps),
            ScheduleKind.OneCycle => OneCycle(schedule, baseRate, step, totalSteps),
            _ => baseRate,
        };
    }

    private static double Cosine(ScheduleSpec schedule, double baseRate, long step, long stepsPerEpoch, long totalSteps)
    {
        var warmup = Math.Min((long)schedule.Warmup * stepsPerEpoch, totalSteps);
        if (step < warmup)
        {
            return baseRate * (step + 1) / warmup;
        }
        return Anneal(baseRate, schedule.MinLearningRate, Fraction(step - warmup, totalSteps - warmup));
    }

    // torch.optim.lr_scheduler.OneCycleLR with anneal_strategy='cos', three_phase=False: phase
    // ends at pct_start·T − 1 and T − 1, the second phase starting where the first ended.
    private static double OneCycle(ScheduleSpec schedule, double peak, long step, long totalSteps)
    {
        var initial = peak / schedule.DivFactor;
        var final = initial / schedule.FinalDivFactor;
        var risingEnd = schedule.PctStart * totalSteps - 1;
        return step <= risingEnd
            ? Anneal(initial, peak, Fraction(step, risingEnd))
            : Anneal(peak, final, Fraction(step - risingEnd, totalSteps - 1 - risingEnd));
    }

    // How far through a phase of the given length: 1 past its end, and for a phase of no length.
    private static double Fraction(double done, double length) => length <= 0 ? 1 : Math.Min(1, done / length);

    private static double Anneal(double start, double end, double fraction) =>
        end + (start - end) / 2 * (Math.Cos(Math.PI * fraction) + 1);
}
