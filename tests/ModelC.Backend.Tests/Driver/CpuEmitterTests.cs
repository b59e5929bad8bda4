using ModelC.Backend.Cpu;
using ModelC.Backend.Kernels;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Backend.Tests.Driver;

/// <summary>
/// The CPU emitters name every operation they compile and refuse the rest: an operation added to
/// the IR without code cannot fall into another operation's case (before, an unknown binary
/// operation with a constant 2 on the right compiled to x·x, and exp of an integer to its sign).
/// </summary>
public sealed class CpuEmitterTests
{
    [Fact]
    public void AnUnknownBinaryOperationIsRefused()
    {
        using var generator = CpuTarget.Host.CreateCodeGenerator();
        var error = Assert.Throws<InvalidOperationException>(() => generator.Compile(TestKernels.Map(kind: (BinaryKind)99), []));
        Assert.Equal("the CPU code generator has no code for BinaryKind 99", error.Message);
    }

    [Fact]
    public void AFloatFunctionOfAnIntegerIsRefused()
    {
        var kernel = TestKernels.Map(type: ElementType.I32);
        using var generator = CpuTarget.Host.CreateCodeGenerator();
        var error = Assert.Throws<InvalidOperationException>(() => generator.Compile(kernel with { Body = new Unary(UnaryKind.Exp, kernel.Body) }, []));
        Assert.Equal("Exp is not defined on i32", error.Message);
    }

    [Fact]
    public void EveryKnownOperationCompiles()
    {
        using var generator = CpuTarget.Host.CreateCodeGenerator();
        foreach (var kind in Enum.GetValues<BinaryKind>())
        {
            Assert.Equal((byte)0x7F, generator.Compile(TestKernels.Map(kind: kind), []).Bytes[0]);
            Assert.Equal((byte)0x7F, generator.Compile(TestKernels.Map(kind: kind, type: ElementType.I32), []).Bytes[0]);
        }
    }
}
