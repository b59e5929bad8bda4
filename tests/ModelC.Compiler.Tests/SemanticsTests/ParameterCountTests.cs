using ModelC.Compiler.Semantics.Elaboration;

namespace ModelC.Compiler.Tests.SemanticsTests;

/// <summary>Parameter counts of the reference architectures, as their reference implementations count them.</summary>
public sealed class ParameterCountTests
{
    [Fact]
    public void MgnoDarcyConfigurationMatchesTheReference()
    {
        // 1 input channel, 4 layers, 24 channels, 6 levels, nu = 1,1,1,1,1,2 (He, Liu, Xu 2024).
        var model = CompilerDriver.Elaborate("""
            import std.mgno;
            model Darcy(B: batch) {
                input a: f32[B, 1, 64, 64];
                output u = mgno(24, 4, [1, 1, 1, 1, 1, 2])(a);
            }
            """);
        Assert.Equal(572_661, model.Graph.ParameterCount);
    }

    [Fact]
    public void FnoDarcyConfigurationMatchesTheReference()
    {
        // Li et al.'s fourier_2d for Darcy: width 32, 12 x 12 modes, 4 Fourier layers, grid input,
        // projection through 128; their count_params (complex weights twice) and
        // fno_parameter_count(32, 12) of tests/golden/make_block_goldens.py give 2,368,001.
        var model = CompilerDriver.Elaborate("""
            import std.fno;
            model FnoDarcy(B: batch) {
                input a: f32[B, 1, 64, 64];
                output u = fno(32, 12)(a);
            }
            """);
        Assert.Equal(2_368_001, model.Graph.ParameterCount);
    }

    [Fact]
    public void SirenMatchesTheImageFittingConfiguration()
    {
        // Sitzmann et al.'s image fitting: 2 → 256, three 256 → 256 sine layers, 256 → 1; PyTorch
        // counts 198,401 parameters in its nn.Linear layers.
        var model = CompilerDriver.Elaborate("""
            import std.nn;
            model Siren(B: batch) {
                input coords: f32[B, 2];
                output rgb = siren([256, 256, 256, 256, 1])(coords);
            }
            """);
        Assert.Equal(198_401, model.Graph.ParameterCount);
    }

    [Fact]
    public void MacaronStackMatchesPyTorchModules()
    {
        // 2 pre-norm Macaron layers, d = 256, 4 heads, FFN width 512, final LayerNorm.
        var model = CompilerDriver.Elaborate("""
            import std.nn;
            model Macaron(B: batch) {
                input x: f32[B, 16, 256];
                output y = macaron_stack(2, 256, 4, 512)(x);
            }
            """);
        Assert.Equal(1_581_568, model.Graph.ParameterCount);
    }

    [Fact]
    public void EinspaceTransformerSeedLayerMatchesTheReference()
    {
        // einspace's transformer_d4 layer: 4 heads of width 64 on d = 512, FFN 512 -> 512.
        var model = CompilerDriver.Elaborate("""
            import std.einspace;
            model Vit(B: batch) {
                input x: f32[B, 64, 512];
                output y = vit_layer(512, 4, 64)(x);
            }
            """);
        Assert.Equal(1_052_928, model.Graph.ParameterCount);
    }

    [Fact]
    public void EachApplicationOfAModuleCreatesItsOwnParameters()
    {
        var model = CompilerDriver.Elaborate("""
            model Twice(B: batch) {
                input x: f32[B, 8];
                let layer = linear(8);
                output y = (layer >> layer)(x);
            }
            """);
        Assert.Equal(2 * (8 * 8 + 8), model.Graph.ParameterCount);
    }

    [Fact]
    public void BatchNormStatisticsAreStateNotParameters()
    {
        var model = CompilerDriver.Elaborate("""
            model Bn(B: batch) {
                input x: f32[B, 3, 8, 8];
                output y = batch_norm(x);
            }
            """, mode: ExecutionMode.Training);
        Assert.Equal(6, model.Graph.ParameterCount);
        Assert.Equal(2, model.Graph.States.Count());
        Assert.Equal(2, model.Graph.Outputs.Count(o => o.Role == ModelC.Compiler.IR.OutputRole.StateUpdate));
    }
}
