using System.Diagnostics;
using System.Globalization;
using ModelC.Backend.Driver;

namespace ModelC.Cli.Profiling;

/// <summary>
/// <c>--timings</c>: where a compile's wall time went, phase by phase in pipeline order (each
/// program's graph passes by name), then the kernels that cost LLVM the most with their origin
/// and their size in LLVM instructions before and after optimisation.
/// </summary>
internal static class CompileTimingsReport
{
    /// <summary>How many of the costliest kernels the report lists.</summary>
    public const int SlowestKernels = 5;

    /// <summary>Prints <paramref name="timings"/>, and the wall time since the process started.</summary>
    public static void Write(TextWriter output, CompileTimings timings)
    {
        using var process = Process.GetCurrentProcess();
        var total = DateTime.Now - process.StartTime;
        var kernels = timings.Kernels;
        output.WriteLine("compile timings (wall; the LLVM phases are the compiling threads' CPU time summed over kernels compiled on all workers, link and load summed over programs):");
        foreach (var (phase, elapsed) in timings.Phases)
        {
            Line(output, "  " + Name(phase), elapsed, phase is CompilePhase.LlvmIr ? $"{kernels.Count} kernels and support routines compiled" : null);
            if (phase == CompilePhase.Elaboration)
            {
                WritePasses(output, timings);
            }
        }
        Line(output, "  total so far", total, "since the process started, .NET start-up included");
        if (kernels.Count == 0)
        {
            return;
        }
        output.WriteLine($"slowest kernels by LLVM time (of {kernels.Count}; instructions as emitted -> optimised):");
        foreach (var kernel in kernels.OrderByDescending(k => k.Times.Total).Take(SlowestKernels))
        {
            var t = kernel.Times;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {Seconds(t.Total)}  (IR {Seconds(t.Emit)}, opt {Seconds(t.Optimise)}, codegen {Seconds(t.CodeGeneration)}; {t.InstructionsEmitted} -> {t.InstructionsOptimised} instructions)  {kernel.Symbol}  {kernel.Origin}"));
        }
    }

    /// <summary>The name the report gives <paramref name="phase"/>.</summary>
    public static string Name(CompilePhase phase) => phase switch
    {
        CompilePhase.ParseAndBind => "parse+bind",
        CompilePhase.Elaboration => "elaboration (lowering to graph IR)",
        CompilePhase.FusionPlanning => "fusion planning",
        CompilePhase.KernelIr => "kernel IR",
        CompilePhase.KernelKeys => "kernel keys (content hash)",
        CompilePhase.Manifest => "manifest",
        CompilePhase.LlvmIr => "LLVM IR emission",
        CompilePhase.LlvmOptimisation => "LLVM optimisation",
        CompilePhase.LlvmCodeGeneration => "LLVM code generation",
        CompilePhase.Link => "link",
        CompilePhase.Load => "load",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "no name for this phase"),
    };

    // Each program's graph passes (autodiff among them), under the phase that made the graph.
    private static void WritePasses(TextWriter output, CompileTimings timings)
    {
        foreach (var (program, passes) in timings.Pipelines)
        {
            Line(output, $"  graph passes, {program}", TimeSpan.FromTicks(passes.Sum(p => p.Elapsed.Ticks)), null);
            foreach (var pass in passes)
            {
                Line(output, "    " + pass.Name, pass.Elapsed, $"{pass.NodeCount} nodes after");
            }
        }
    }

    private static void Line(TextWriter output, string label, TimeSpan elapsed, string? note) =>
        output.WriteLine($"{label,-42} {Seconds(elapsed),9}{(note is null ? "" : "  " + note)}");

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture) + " s";
}
