using ModelC.Cli.Profiling;

namespace ModelC.Cli.Tests;

/// <summary>Reading a kernel's node, op and layer scope back from its manifest description.</summary>
public sealed class KernelOriginTests
{
    [Theory]
    [InlineData("%12 contract in macaron_0.ffn_1.linear_0", "%12", "contract", "macaron_0.ffn_1.linear_0")]
    [InlineData("%113 div", "%113", "div", null)]
    [InlineData("%12 div in x.norm_0, %13 add in x.add_0", "%12", "div", "x.norm_0")]
    [InlineData("%115 select, %123 select, %141 select", "%115", "select", null)]
    [InlineData("copy of %7 to 'w:next'", "%7", "copy", null)]
    [InlineData("something else", "", "something else", null)]
    public void ParsesEachFormOfDescription(string description, string node, string op, string? scope) =>
        Assert.Equal(new KernelOrigin(node, op, scope), KernelOrigin.Parse(description));
}
