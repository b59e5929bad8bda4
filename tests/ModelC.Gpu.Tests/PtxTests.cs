using ModelC.Backend.Driver;
using ModelC.Backend.Tests;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Gpu.Runtime;

namespace ModelC.Gpu.Tests;

/// <summary>
/// Every kernel of every example model — forward pass and, for models with a loss, train step —
/// compiles to PTX for sm_80 (A100) and sm_90 (H100) through ILGPU's PTX backend, with no GPU:
/// what a CUDA accelerator does when it loads them, checked everywhere.
/// </summary>
public sealed class PtxTests
{
    /// <summary>One row per example model.</summary>
    public static TheoryData<string, string, bool> Models()
    {
        var rows = new TheoryData<string, string, bool>();
        foreach (var (file, model) in ExampleCase.ExampleModels())
        {
            rows.Add(file, model.Name, model.HasLoss);
        }
        return rows;
    }

    /// <summary>The model's kernels all compile to PTX for both architectures, each a module with one kernel entry for the architecture.</summary>
    [Theory]
    [MemberData(nameof(Models))]
    public void EveryKernelCompilesToPtx(string file, string model, bool hasLoss)
    {
        List<ElaboratedModel> programs = [new ExampleCase(file, model, ExecutionMode.Inference, null).Elaborate()];
        if (hasLoss)
        {
            programs.Add(new ExampleCase(file, model, ExecutionMode.Training, null).Elaborate());
        }
        foreach (var compiled in ModelCompiler.CompileAll(programs, GpuTarget.Instance))
        {
            using var kernels = compiled.Kernels;
            var library = Assert.IsType<GpuKernelLibrary>(kernels);
            foreach (var (major, minor) in new[] { (8, 0), (9, 0) })
            {
                using var ptx = new PtxCompiler(major, minor);
                foreach (var symbol in compiled.Manifest.Kernels.Select(k => k.Symbol).Distinct())
                {
                    var module = ptx.Compile(library.Kernel(symbol));
                    Assert.Contains(".target sm_", module, StringComparison.Ordinal);
                    Assert.Contains(".entry", module, StringComparison.Ordinal);
                }
            }
        }
    }
}
