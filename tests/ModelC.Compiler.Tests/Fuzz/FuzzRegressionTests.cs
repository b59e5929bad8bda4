namespace ModelC.Compiler.Tests.Fuzz;

/// <summary>
/// Minimised inputs that crashed or hung the compiler when the fuzzer found them. Each must
/// now be answered with diagnostics or a model. Tests of bugs that are still open are skipped,
/// with the bug in the reason; remove the Skip when the fix lands.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static void AssertAnswered(string source)
    {
        var (_, failure) = FrontEndRunner.RunGuarded(RepositoryPaths.Get("regression.mdl"), source, CompilerDriver.Options, Timeout);
        Assert.True(failure is null, failure);
    }

    private static string Model(string input, string output) =>
        $"model M(B: batch) {{\n    input x: {input};\n    output y = {output};\n}}\n";

    // ---- huge counts: clone(n), repeat(n)

    [Fact]
    public void ACloneOfTwoBillionBranches() =>
        AssertAnswered(Model("f32[B, 4]", "(branch clone(2147483647) [ relu ] merge add)(x)"));

    [Fact]
    public void ARepeatOfTwoBillionLayers() =>
        AssertAnswered(Model("f32[B, 4]", "repeat(2147483647, relu)(x)"));

    // ---- dimension arithmetic past int32 / int64

    [Fact]
    public void FlatteningMoreThanInt32MaxElements() =>
        AssertAnswered(Model("f32[B, 65536, 65536]", "flatten(x)"));

    [Fact]
    public void Im2colOfTwoBillionChannels() =>
        AssertAnswered(Model("f32[B, 2147483647, 4, 4]", "im2col(3, 1, 1)(x)"));

    [Fact]
    public void AParameterCountPastInt64Max() =>
        AssertAnswered(Model("f32[B, 2147483647]", "(linear(2147483647) >> linear(2147483647) >> linear(2147483647))(x)"));

    // ---- integer arguments past int32 (fixed: now MC3008)

    [Theory]
    [InlineData("conv(4, 4294967296)(x)")]
    [InlineData("conv(4, 3, stride = 2147483648)(x)")]
    [InlineData("conv(4, 9223372036854775807)(x)")]
    [InlineData("conv_transpose(4, 4, stride = 2, pad = 9223372036854775807)(x)")]
    [InlineData("(route im2col(3, 4294967296, 1) [ linear(4) ] col2im)(x)")]
    [InlineData("(route im2col(4294967296, 1, 1) [ linear(4) ] col2im)(x)")]
    [InlineData("max_pool(3, 4294967296, 1)(x)")]
    public void WindowArgumentsBeyondInt32(string output) => AssertAnswered(Model("f32[B, 3, 8, 8]", output));

    [Theory]
    [InlineData("linear(4294967294)(x)")]
    [InlineData("glu_ffn(4, 2147483647)(x)")]
    public void WidthsBeyondInt32(string output) => AssertAnswered("import std.nn;\n" + Model("f32[B, 8, 4]", output));

    // ---- names and paths

    [Fact]
    public void AVeryLongMisspeltName()
    {
        // "Did you mean" compared the 100,000-character names with a full edit-distance matrix.
        var name = new string('a', 100_000);
        AssertAnswered($"const {name} = 1;\nconst b = {name[..^1]};");
    }

    [Fact]
    public void APathImportWithANul() => AssertAnswered("import \"a\0b.mdl\";");
}
