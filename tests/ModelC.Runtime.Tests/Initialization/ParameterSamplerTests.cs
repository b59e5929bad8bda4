using ModelC.Runtime.Initialization;

namespace ModelC.Runtime.Tests.Initialization;

/// <summary>
/// The float fill, which writes a tensor's memory element by element, gives the double fill's
/// values rounded to float (the reference interpreter's values), for every distribution.
/// </summary>
public sealed class ParameterSamplerTests
{
    public static TheoryData<InitSpec> Inits() =>
    [
        new InitSpec(InitKind.Uniform, -0.3, 0.3),
        new InitSpec(InitKind.Normal, 0.5, 2),
        new InitSpec(InitKind.Constant, 0.25),
        new InitSpec(InitKind.Orthogonal, 1.5, 6),
    ];

    [Theory]
    [MemberData(nameof(Inits))]
    public void FloatsAreTheDoublesRounded(InitSpec init)
    {
        var doubles = new double[6 * 7];
        var floats = new float[doubles.Length];

        ParameterSampler.Fill(init, doubles, 42);
        ParameterSampler.Fill(init, floats, 42);

        Assert.Equal(doubles.Select(d => (float)d), floats);
        Assert.True(doubles.Distinct().Count() > 1 || init.Kind == InitKind.Constant);
    }
}
