using ModelC.Compiler.Autodiff;
using ModelC.Compiler.IR;
using ModelC.Compiler.Tests.Autodiff;
using ModelC.Compiler.Tests.Blocks;

namespace ModelC.Backend.Tests;

/// <summary>
/// Compiled gradients against the interpreter's: every block case of <c>tests/golden/blocks</c>
/// with the probe loss of <see cref="GradientCheck"/>, differentiated with respect to its float
/// inputs and parameters, compiled and run on the same float32 values; every output and
/// gradient within 1e-4 relative (normwise, see <see cref="CompiledRun.AssertClose"/>), and
/// bit-identical for 1 and 2 threads.
/// </summary>
public sealed class GradientDifferentialTests
{
    public static TheoryData<string> Cases() => [.. BlockCase.Names()];

    [Theory]
    [MemberData(nameof(Cases))]
    public void CompiledGradientsMatchInterpreter(string name)
    {
        var block = BlockCase.Load(name);
        var (probed, inputs, _) = GradientCheck.ProbedBlock(block);
        var leaves = probed.Nodes.Where(GradientCheck.IsDifferentiated).ToList();
        var run = CompiledRun.Execute(ReverseMode.Differentiate(probed, leaves), inputs, 1, 2);
        // As in BlockDifferentialTests: twenty batch norms over 2 samples amplify float32 rounding.
        run.AssertClose(name == "ein_resnet18_training" ? 1e-3 : 1e-4);
        run.AssertRunsIdentical();
    }
}
