using ModelC.Runtime.Manifest;
using ModelC.Runtime.Optimization;

namespace ModelC.Runtime.Tests;

/// <summary>Schedules against PyTorch's schedulers (values printed by torch 1.13) and their definitions.</summary>
public sealed class LearningRateScheduleTests
{
    private static double[] Run(ScheduleSpec schedule, double rate, int steps, int stepsPerEpoch = 1) =>
        [.. Enumerable.Range(0, steps).Select(s => LearningRateSchedule.At(schedule, rate, s, stepsPerEpoch, steps))];

    [Fact]
    public void OneCycleMatchesTorch()
    {
        // OneCycleLR(max_lr=1e-3, total_steps=20, pct_start=0.3, div_factor=25,
        // final_div_factor=1e4, cycle_momentum=False), lr read before each step.
        double[] torch =
        [
            3.9999999999999996e-05, 0.0001316718427000252, 0.0003716718427000253, 0.0006683281572999747, 0.0009083281572999747,
            0.001, 0.0009874640062350875, 0.0009504846320134736, 0.0008909161775710499, 0.000811745653949763,
            0.0007169430017913008, 0.0006112620219362892, 0.0005000019999999999, 0.00038874197806371076, 0.0002830609982086992,
            0.00018825834605023698, 0.00010908782242895002, 4.9519367986526286e-05, 1.2539993764912554e-05, 4e-09,
        ];
        Assert.Equal(torch, Run(new ScheduleSpec(ScheduleKind.OneCycle), 1e-3, 20), (a, b) => Math.Abs(a - b) <= 1e-15 * Math.Abs(b) + 1e-20);
    }

    [Fact]
    public void OneCycleWithAFractionalPhaseEndMatchesTorch()
    {
        // OneCycleLR(max_lr=0.5, total_steps=7, pct_start=0.25, div_factor=10, final_div_factor=100).
        double[] torch = [0.04999999999999999, 0.49721049884972585, 0.4333297049894991, 0.3058246032555895, 0.15900607916449283, 0.04389686611458033, 0.0005];
        var schedule = new ScheduleSpec(ScheduleKind.OneCycle, PctStart: 0.25, DivFactor: 10, FinalDivFactor: 100);
        Assert.Equal(torch, Run(schedule, 0.5, 7), (a, b) => Math.Abs(a - b) <= 1e-15 * Math.Abs(b));
    }

    [Fact]
    public void StepDecaysEveryGivenEpochs()
    {
        var schedule = new ScheduleSpec(ScheduleKind.Step, Every: 2, Gamma: 0.5);
        Assert.Equal([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25], Run(schedule, 1, 10, stepsPerEpoch: 2));
    }

    [Fact]
    public void CosineWarmsUpLinearlyThenDecaysToTheMinimum()
    {
        // One warm-up epoch of 2 steps, then half a cosine over the 4 remaining steps.
        var schedule = new ScheduleSpec(ScheduleKind.Cosine, Warmup: 1, MinLearningRate: 0.1);
        var expected = new[] { 0.5, 1, 1, 0.1 + 0.9 * (1 + Math.Cos(Math.PI / 4)) / 2, 0.55, 0.1 + 0.9 * (1 + Math.Cos(3 * Math.PI / 4)) / 2 };
        Assert.Equal(expected, Run(schedule, 1, 6, stepsPerEpoch: 2), (a, b) => Math.Abs(a - b) <= 1e-15);
    }

    [Fact]
    public void ConstantIgnoresTheStep() =>
        Assert.Equal([0.3, 0.3, 0.3], Run(ScheduleSpec.Constant, 0.3, 3));

    [Fact]
    public void StepsPastTheRunStayAtTheEnd() =>
        Assert.Equal(1e-3 / 25 / 1e4, LearningRateSchedule.At(new ScheduleSpec(ScheduleKind.OneCycle), 1e-3, 50, 1, 20), 1e-20);
}
