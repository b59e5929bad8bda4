using ModelC.Data.Synthetic;

namespace ModelC.Data.Tests;

public sealed class SyntheticDataTests
{
    [Theory]
    [InlineData("poisson:n=16,bc=dirichlet", "f", "u", new[] { 3, 1, 16, 16 })]
    [InlineData("poisson:n=8,bc=periodic", "f", "u", new[] { 3, 1, 8, 8 })]
    [InlineData("Darcy:N=16", "a", "u", new[] { 3, 1, 16, 16 })]
    [InlineData("reverse:S=12,vocab=16", "tokens", "reversed", new[] { 3, 12 })]
    [InlineData("copy", "tokens", "target", new[] { 3, 12 })]
    [InlineData("sort: S = 5 ", "tokens", "target", new[] { 3, 5 })]
    [InlineData("spirals:classes=3,noise=0.1", "x", "y", new[] { 3 })]
    [InlineData("circles", "x", "y", new[] { 3 })]
    public void SpecsMakeTheirSets(string spec, string first, string second, int[] secondShape)
    {
        var data = SyntheticData.Create(spec, 3, seed: 1);
        Assert.Equal([first, second], data.Names.ToArray());
        Assert.Equal(secondShape, data[second].Shape.ToArray());
    }

    [Theory]
    [InlineData("poisson.mdl", "poisson:n=8", "f")]
    [InlineData("darcy.mdl", "darcy:n=8", "a")]
    public void FieldSetsMatchTheExampleModelsInputs(string model, string spec, string input)
    {
        var source = File.ReadAllText(ModelC.Tests.RepositoryPaths.Get("examples", "mgno", model));
        var data = SyntheticData.Create(spec, 2, seed: 1);
        Assert.Equal([input, "u"], data.Names.ToArray());
        foreach (var name in data.Names)
        {
            Assert.Contains($"input  {name}: f32[B, 1, n, n];", source, StringComparison.Ordinal);
            Assert.Equal([2, 1, 8, 8], data[name].Shape.ToArray());
        }
    }

    [Fact]
    public void OptionsReachTheGenerators()
    {
        var data = SyntheticData.Create("poisson:n=8,bc=periodic,alpha=3,tau=5", 2, seed: 7);
        Assert.Equal(PoissonDataSet.Generate(2, 7, 8, PoissonBoundary.Periodic, 3, 5)["u"].Floats, data["u"].Floats);
        Assert.Equal(PoissonDataSet.Generate(2, 7, 64)["f"].Floats, SyntheticData.Create("poisson", 2, seed: 7)["f"].Floats);
        var tokens = SyntheticData.Create("reverse:vocab=3", 20, seed: 7)["tokens"].Ints;
        Assert.All(tokens, t => Assert.InRange(t, 0, 2));
    }

    [Fact]
    public void UnknownSetsListTheKnownOnes()
    {
        var e = Assert.Throws<FormatException>(() => SyntheticData.Create("heat:n=4", 1, 0));
        Assert.Equal(
            """
            unknown synthetic data set 'heat'; known sets:
              poisson:n=64,bc=dirichlet,alpha=2,tau=3 — 2-D Poisson −Δu = f: arrays f, u [N, 1, n, n]
              darcy:n=64,alpha=2,tau=3 — 2-D Darcy flow −∇·(a∇u) = 1, a ∈ {3, 12}: arrays a, u [N, 1, n, n]
              copy:S=12,vocab=16 — copy token sequences: tokens, target i32 [N, S]
              reverse:S=12,vocab=16 — reverse token sequences: tokens, reversed i32 [N, S]
              sort:S=12,vocab=16 — sort token sequences: tokens, target i32 [N, S]
              spirals:classes=2,noise=0.1 — interleaved spirals: x f32 [N, 2], class y i32 [N]
              circles:classes=2,noise=0.05 — concentric circles: x f32 [N, 2], class y i32 [N]
            """.ReplaceLineEndings("\n"),
            e.Message);
        Assert.StartsWith("no synthetic data set named in ':n=4'; known sets:\n  poisson:",
            Assert.Throws<FormatException>(() => SyntheticData.Create(":n=4", 1, 0)).Message);
    }

    [Theory]
    [InlineData("poisson:m=4",
        "poisson has no option 'm'; its options: n=64 (interior grid points per side), bc=dirichlet (boundary: dirichlet or periodic), alpha=2 (smoothness exponent of the random field), tau=3 (inverse length scale of the random field)")]
    [InlineData("poisson:bc=neumann", "poisson: bc must be dirichlet or periodic, not 'neumann'")]
    [InlineData("poisson:n=1", "poisson: n must be an integer ≥ 2, not '1'")]
    [InlineData("darcy:n=abc", "darcy: n must be an integer ≥ 2, not 'abc'")]
    [InlineData("spirals:noise=-1", "spirals: noise must be a number ≥ 0, not '-1'")]
    [InlineData("reverse:S=0", "reverse: S must be an integer ≥ 1, not '0'")]
    [InlineData("copy:n=4,n=5", "copy has no option 'n'; its options: S=12 (tokens per sequence), vocab=16 (vocabulary size)")]
    [InlineData("copy:S=4,s=5", "copy: option 'S' is given twice")]
    [InlineData("copy:S4", "'S4' in 'copy:S4' is not key=value; usage: copy:S=12,vocab=16 — copy token sequences: tokens, target i32 [N, S]")]
    public void WrongOptionsAreExplained(string spec, string message)
    {
        Assert.Equal(message, Assert.Throws<FormatException>(() => SyntheticData.Parse(spec)).Message);
    }
}
