using ModelC.Compiler.Tests.Blocks;

namespace ModelC.Compiler.Tests.Autodiff;

/// <summary>
/// Reverse mode against finite differences on every stdlib block and built-in layer case of
/// <c>tests/golden/blocks/</c>, inference and training graphs (batch statistics included):
/// the loss (a probe of every output, plus the model's loss) moved along one random direction
/// of all inputs and parameters at once, relative error ≤ 1e-6 in float64.
/// </summary>
public sealed class BlockGradientTests
{
    public static TheoryData<string> Cases() => [.. BlockCase.Names()];

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesFiniteDifferences(string name)
    {
        var block = BlockCase.Load(name);
        var (probed, inputs, parameters) = GradientCheck.ProbedBlock(block);
        // Twenty batch norms over 4 samples, down to 1x1 grids, give derivatives near 1e5: a step
        // of 1e-6 moves activations across relu kinks (measured: 2.9e-4 apart), 1e-9 does not.
        var step = name == "ein_resnet18_training" ? 1e-9 : GradientCheck.DefaultStep;
        GradientCheck.Run(probed, inputs, parameters, perLeaf: false, 1e-6, $"{name} ({block.Description})", step);
    }
}
