using ModelC.Compiler.Interpreter;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Tests.SemanticsTests;

/// <summary>
/// The initialisers a layer's <c>init</c> or a free <c>parameter</c> names give exactly the
/// distributions torch.nn.init gives tensors of the same shapes. The expected numbers were printed
/// by torch 1.13 (bounds and standard deviations computed as torch.nn.init computes them, fans by
/// torch.nn.init._calculate_fan_in_and_fan_out).
/// </summary>
public sealed class InitializerTests
{
    private const string Program = """
        model M(B: batch) {
            input x: f32[B, 3, 8, 8];
            input s: f32[B, 5, 16];
            let query = parameter(4, 16, init = normal(0.0, 0.02));
            let temperature = parameter();
            output attended = (softmax(query @ permute(0, 2, 1)(s)) @ s) * exp(temperature);
            output a = linear(7, init = xavier_uniform)(s);
            output b = linear(7, init = kaiming_normal(a = 0.1), bias = false)(s);
            output c = conv(6, 3, init = lecun_normal)(x);
            output d = conv_transpose(2, 2, init = zeros)(x);
            output e = linear(7, init = uniform(-0.5, 0.5))(s);
            output f = conv(6, 3, init = xavier_normal(gain = 2.0))(x);
            output g = conv_transpose(2, 2, init = kaiming_uniform)(x);
            output h = linear(3)(s);
            output o = linear(24, init = orthogonal(gain = 2.0))(s);
            output q = linear(7, init = orthogonal)(s);
            output r = conv(6, 3, init = orthogonal(0.5))(x);
        }
        """;

    private static readonly Lazy<Dictionary<string, (Shape Shape, ParameterInit Init)>> Parameters = new(() =>
        CompilerDriver.Elaborate(Program).Graph.Parameters.ToDictionary(
            p => ((ParameterOp)p.Op).Name, p => (p.Type.Shape, ((ParameterOp)p.Op).Init), StringComparer.Ordinal));

    public static TheoryData<string, string, ParameterInit> Cases() => new()
    {
        { "query", "[4,16]", new NormalInit(0, 0.02) },
        { "temperature", "[]", new ConstantInit(0) },
        { "a.weight", "[7,16]", new UniformInit(-0.5107539184552491, 0.5107539184552491) },
        { "b.weight", "[7,16]", new NormalInit(0, 0.35179877236514595) },
        { "c.weight", "[6,3,3,3]", new NormalInit(0, 0.19245008972987526) },
        { "d.weight", "[3,2,2,2]", new ConstantInit(0) },
        { "e.weight", "[7,16]", new UniformInit(-0.5, 0.5) },
        { "f.weight", "[6,3,3,3]", new NormalInit(0, 0.31426968052735443) },
        { "g.weight", "[3,2,2,2]", new UniformInit(-0.8660254037844386, 0.8660254037844386) },
        // Without init, PyTorch's standard one; biases keep theirs whatever the weight's init.
        { "h.weight", "[3,16]", new UniformInit(-0.25, 0.25) },
        { "a.bias", "[7]", new UniformInit(-0.25, 0.25) },
        // torch.nn.init.orthogonal_ reads a tensor as its first dimension by the rest.
        { "o.weight", "[24,16]", new OrthogonalInit(2.0, 24) },
        { "q.weight", "[7,16]", new OrthogonalInit(1.0, 7) },
        { "r.weight", "[6,3,3,3]", new OrthogonalInit(0.5, 6) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorchNnInit(string name, string shape, ParameterInit init)
    {
        Assert.True(Parameters.Value.TryGetValue(name, out var parameter), $"no parameter '{name}'");
        Assert.Equal(shape, parameter.Shape.ToString());
        Assert.Equal(init, parameter.Init);
    }

    /// <summary>
    /// Orthogonal weights: W·Wᵀ = gain²·I for a wide matrix (rows orthonormal), Wᵀ·W = gain²·I for a
    /// tall one (columns orthonormal), a conv weight read as [out, in·k·k]; another seed, other values.
    /// </summary>
    [Theory]
    [InlineData("o.weight", 2.0)]
    [InlineData("q.weight", 1.0)]
    [InlineData("r.weight", 0.5)]
    public void OrthogonalWeightsHaveOrthonormalRowsOrColumns(string name, double gain)
    {
        var graph = CompilerDriver.Elaborate(Program).Graph;
        var weight = ParameterInitializer.Initialize(graph, 3)[name];
        var rows = weight.Shape[0];
        var columns = weight.Length / rows;
        var w = weight.ToArray();
        var (count, length) = rows <= columns ? (rows, columns) : (columns, rows);
        double At(int vector, int i) => rows <= columns ? w[vector * columns + i] : w[i * columns + vector];
        for (var a = 0; a < count; a++)
        {
            for (var b = 0; b < count; b++)
            {
                var dot = Enumerable.Range(0, length).Sum(i => At(a, i) * At(b, i));
                Assert.True(Math.Abs(dot - (a == b ? gain * gain : 0)) < 1e-12, $"{name}: vectors {a}, {b} have product {dot}");
            }
        }
        Assert.NotEqual(w, ParameterInitializer.Initialize(graph, 4)[name].ToArray());
    }

    [Fact]
    public void AFreeParameterIsNamedAfterItsLetInsideItsBlock()
    {
        var model = CompilerDriver.Elaborate("""
            block tokens(x: tensor) {
                let cls = parameter(1, x.features);
                return x + parameter(x.features) + cls;
            }
            model M(B: batch) {
                input x: f32[B, 5, 8];
                output y = tokens(x);
            }
            """);
        Assert.Equal(["y.cls", "y.parameter_0"], model.Graph.Parameters.Select(p => ((ParameterOp)p.Op).Name).Order(StringComparer.Ordinal));
    }
}
