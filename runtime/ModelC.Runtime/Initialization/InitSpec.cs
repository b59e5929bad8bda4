using System.Globalization;

namespace ModelC.Runtime.Initialization;

/// <summary>The distributions a parameter or state tensor starts from.</summary>
public enum InitKind
{
    /// <summary>Uniform on <c>[A, B)</c> (PyTorch's default for linear and conv layers).</summary>
    Uniform,

    /// <summary>Normal with mean <c>A</c> and standard deviation <c>B</c>.</summary>
    Normal,

    /// <summary>Every element equal to <c>A</c>.</summary>
    Constant,

    /// <summary>
    /// The tensor as a matrix of <c>B</c> rows (its first dimension) by the rest, with orthonormal
    /// rows or columns (whichever are fewer), times the gain <c>A</c> (torch.nn.init.orthogonal_).
    /// </summary>
    Orthogonal,
}

/// <summary>How one tensor is initialised: a distribution and its two numbers.</summary>
public sealed record InitSpec(InitKind Kind, double A, double B = 0)
{
    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        InitKind.Uniform => string.Create(CultureInfo.InvariantCulture, $"uniform({A:R},{B:R})"),
        InitKind.Normal => string.Create(CultureInfo.InvariantCulture, $"normal({A:R},{B:R})"),
        InitKind.Orthogonal => string.Create(CultureInfo.InvariantCulture, $"orthogonal({A:R},{B:R})"),
        _ => string.Create(CultureInfo.InvariantCulture, $"constant({A:R})"),
    };
}
