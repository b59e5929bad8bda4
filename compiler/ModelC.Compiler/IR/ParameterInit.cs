using ModelC.Compiler.Text;
using ModelC.Runtime.Initialization;

namespace ModelC.Compiler.IR;

/// <summary>How a parameter or state tensor is initialised before training.</summary>
public abstract record ParameterInit
{
    /// <summary>Printed form, e.g. <c>uniform(-0.1,0.1)</c>.</summary>
    public abstract override string ToString();

    /// <summary>The same initialisation as the runtime describes it.</summary>
    public abstract InitSpec ToSpec();

    /// <summary>Formats a number so that it reads back to the same double.</summary>
    protected static string Number(double value) => NumberText.Format(value);
}

/// <summary>Uniform on <c>[Low, High)</c> (PyTorch's default for linear and conv layers).</summary>
public sealed record UniformInit(double Low, double High) : ParameterInit
{
    /// <inheritdoc/>
    public override string ToString() => $"uniform({Number(Low)},{Number(High)})";

    /// <inheritdoc/>
    public override InitSpec ToSpec() => new(InitKind.Uniform, Low, High);
}

/// <summary>Normal with mean and standard deviation.</summary>
public sealed record NormalInit(double Mean, double Std) : ParameterInit
{
    /// <inheritdoc/>
    public override string ToString() => $"normal({Number(Mean)},{Number(Std)})";

    /// <inheritdoc/>
    public override InitSpec ToSpec() => new(InitKind.Normal, Mean, Std);
}

/// <summary>
/// A matrix of <see cref="Rows"/> rows (the tensor's first dimension) by the rest with orthonormal
/// rows or columns, whichever are fewer, times <see cref="Gain"/> (torch.nn.init.orthogonal_).
/// </summary>
public sealed record OrthogonalInit(double Gain, int Rows) : ParameterInit
{
    /// <inheritdoc/>
    public override string ToString() => $"orthogonal({Number(Gain)},{Rows})";

    /// <inheritdoc/>
    public override InitSpec ToSpec() => new(InitKind.Orthogonal, Gain, Rows);
}

/// <summary>Every element the same (zeros for biases, ones for norm scales).</summary>
public sealed record ConstantInit(double Value) : ParameterInit
{
    /// <inheritdoc/>
    public override string ToString() => $"constant({Number(Value)})";

    /// <inheritdoc/>
    public override InitSpec ToSpec() => new(InitKind.Constant, Value);
}
