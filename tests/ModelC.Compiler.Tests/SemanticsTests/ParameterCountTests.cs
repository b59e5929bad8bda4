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
    public void RecurrentCellsOverTimeCountAsNnGruAndNnRnn()
    {
        // Shared weights: nn.GRU(64, 128) has 74,496 parameters and nn.RNN(32, 64) 6,272, for any length.
        var model = CompilerDriver.Elaborate("""
            import std.nn;
            model Recurrent(B: batch) {
                input x: f32[B, 50, 64];
                input y: f32[B, 12, 32];
                output g = gru(x, 128);
                output r = rnn(y, 64);
            }
            """);
        Assert.Equal(74_496 + 6_272, model.Graph.ParameterCount);
    }

    [Fact]
    public void CausalDecoderCountsAsATorchLayerWithoutCrossAttention()
    {
        // nn.TransformerEncoderLayer(256, 4, 1024) = nn.TransformerDecoderLayer less its cross-attention: 789,760; RoPE adds none.
        var model = CompilerDriver.Elaborate("""
            import std.nn;
            model Gpt(B: batch) {
                input x: f32[B, 16, 256];
                output y = causal_decoder(256, 4, 1024)(x);
                output z = causal_decoder(256, 4, 1024, gelu, true)(x);
            }
            """);
        Assert.Equal(2 * 789_760, model.Graph.ParameterCount);
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
    public void BiasFreeGluFfnMatchesLlamaFeedForward()
    {
        // LLaMA-7B's feed-forward (gate, up and down projections, no biases): PyTorch counts
        // 135,266,304 parameters in its three nn.Linear(bias = False) layers.
        var model = CompilerDriver.Elaborate("""
            import std.nn;
            model Ffn(B: batch) {
                input x: f32[B, 2, 4096];
                output y = glu_ffn(4096, 11008, bias = false)(x);
            }
            """);
        Assert.Equal(135_266_304, model.Graph.ParameterCount);
    }

    [Theory]
    [InlineData("resnet18", 2)]
    [InlineData("resnet18(pool = false)", 4)]
    public void Resnet18WithoutMaxPoolKeepsTheReferenceWeights(string backbone, int grid)
    {
        // The einspace seed's 11,173,632 parameters (its PyTorch reference in the block goldens);
        // the max-pool holds none, so dropping it keeps them and doubles the final grid.
        var model = CompilerDriver.Elaborate($$"""
            import std.einspace;
            model Net(B: batch) {
                input x: f32[B, 3, 32, 32];
                output y = {{backbone}}(x);
            }
            """);
        Assert.Equal(11_173_632, model.Graph.ParameterCount);
        Assert.Equal($"f32[B,512,{grid},{grid}]", model.Graph.Outputs.Single().Value.Type.ToString());
    }

    [Theory]
    [InlineData(1, 485_712)]
    [InlineData(16, 7_771_392)]
    public void ConformerMatchesTorchaudio(int layers, long parameters)
    {
        // torchaudio's Conformer(input_dim = 144, num_heads = 4, ffn_dim = 576, num_layers,
        // depthwise_conv_kernel_size = 31), Conformer-S's encoder layers: PyTorch counts these
        // parameters (BatchNorm's running statistics are buffers there and states here).
        var model = CompilerDriver.Elaborate($$"""
            import std.nn;
            model Encoder(B: batch) {
                input x: f32[B, 20, 144];
                output y = repeat({{layers}}, conformer(144, 4, 576, 31))(x);
            }
            """);
        Assert.Equal(parameters, model.Graph.ParameterCount);
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
