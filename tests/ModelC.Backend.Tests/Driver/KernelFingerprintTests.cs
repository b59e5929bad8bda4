using ModelC.Backend.Driver;
using ModelC.Backend.Kernels;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Backend.Tests.Driver;

/// <summary>
/// Equal kernels get equal keys whatever their buffer ids, variable numbers, symbols and
/// descriptions; any change in an expression, a shape, a type, the symbols or the target changes
/// the key; and what the canonical form does not know is refused, never hashed silently.
/// </summary>
public sealed class KernelFingerprintTests
{
    private const string Identity = "test-target";

    private static KernelKey Key(Kernel kernel, string identity = Identity, params string[] symbols) => KernelFingerprint.Of(kernel, [.. symbols], identity);

    [Fact]
    public void KernelsThatDifferOnlyInNamesAndNumberingHaveOneKey()
    {
        var key = Key(TestKernels.Map());
        Assert.Equal(key, Key(TestKernels.Map(output: 17, input: 9, firstVar: 3, symbol: "k41_mul", description: "%99 mul in layers.2")));
        Assert.Equal(64, key.Hex.Length);
        Assert.Equal("mc_" + key.Hex[..32], key.Symbol);
    }

    public static TheoryData<string, Kernel> Changes() => new()
    {
        { "constant", TestKernels.Map(constant: 3) },
        { "-0 for +0", TestKernels.Map(constant: -0.0, kind: BinaryKind.Add) },
        { "operation", TestKernels.Map(kind: BinaryKind.Add) },
        { "shape", TestKernels.Map(columns: 17) },
        { "element type", TestKernels.Map(type: ElementType.I32) },
        { "symbolic dimension", TestKernels.Map(rows: Dim.Symbolic("B")) },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void AnyChangeToTheKernelChangesItsKey(string change, Kernel changed)
    {
        var original = change == "-0 for +0" ? TestKernels.Map(constant: 0, kind: BinaryKind.Add) : TestKernels.Map();
        Assert.NotEqual(Key(original, Identity, "B"), Key(changed, Identity, "B"));
    }

    [Fact]
    public void LoadsAreKeyedByArgumentPosition()
    {
        // Arguments are the output, then the reads in the order the expression first loads them:
        // a − b is one kernel whatever the buffers' ids, and a − a another.
        var key = Key(TestKernels.Difference(output: 9, a: 1, b: 2));
        Assert.Equal(key, Key(TestKernels.Difference(output: 0, a: 7, b: 5)));
        Assert.NotEqual(key, Key(TestKernels.Difference(output: 9, a: 1, b: 1)));
    }

    [Fact]
    public void TheSymbolCountTargetAndGeneratorArePartOfTheKey()
    {
        var kernel = TestKernels.Map();
        Assert.NotEqual(Key(kernel), Key(kernel, Identity, "B"));
        Assert.NotEqual(Key(kernel), Key(kernel, "another-target"));
    }

    [Fact]
    public void TheCpuTargetsIdentityCoversItsSettings()
    {
        static string IdentityOf(Cpu.CpuTarget target) => ((Targets.ICompileTarget)target).Identity;
        var host = IdentityOf(Cpu.CpuTarget.Host);
        Assert.Contains(Cpu.CpuTarget.Host.ResolvedCpu, host, StringComparison.Ordinal);
        Assert.NotEqual(host, IdentityOf(new Cpu.CpuTarget(Cpu: "x86-64-v3")));
        Assert.NotEqual(host, IdentityOf(new Cpu.CpuTarget(Features: "+avx2,+fma")));
        Assert.NotEqual(host, IdentityOf(new Cpu.CpuTarget(Triple: "x86_64-unknown-freebsd")));
        Assert.Equal(host, IdentityOf(new Cpu.CpuTarget()));
        // A rebuilt code generator is a different generator.
        Assert.Contains(CodeGeneratorIdentity.Version(typeof(ModelCompiler).Assembly), CodeGeneratorIdentity.Of(Cpu.CpuTarget.Host), StringComparison.Ordinal);
    }

    [Fact]
    public void AnExpressionTheCanonicalFormDoesNotKnowIsRefused()
    {
        var kernel = TestKernels.Map() with { Body = new Unknown() };
        var error = Assert.Throws<InvalidOperationException>(() => Key(kernel));
        Assert.Contains("Unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUndefinedOperationIsRefused()
    {
        var kernel = TestKernels.Map(kind: (BinaryKind)99);
        Assert.Throws<InvalidOperationException>(() => Key(kernel));
    }

    private sealed record Unknown : Expr
    {
        public override ScalarType Type => ScalarType.F32;
    }
}
