using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Runtime;
using ModelC.Runtime.Initialization;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Kernels;

/// <summary>A tensor that lives in memory, row-major, with static or symbolic dimensions.</summary>
public sealed class KernelBuffer(int id, ElementType type, ImmutableArray<Dim> shape, TensorRole? role, string? name, InitSpec? init = null, string? replaces = null, int? indexBound = null)
{
    /// <summary>The buffer's number in its program.</summary>
    public int Id { get; } = id;

    /// <summary>The element type.</summary>
    public ElementType Type { get; } = type;

    /// <summary>The type of loaded elements.</summary>
    public ScalarType ScalarType => ScalarTypeOf(Type);

    /// <summary>The dimensions.</summary>
    public ImmutableArray<Dim> Shape { get; } = shape;

    /// <summary>What the buffer is to the caller: an input, parameter, state or output; null for a temporary.</summary>
    public TensorRole? Role { get; } = role;

    /// <summary>An intermediate value, live only between the kernels that write and read it.</summary>
    public bool IsTemporary => Role is null;

    /// <summary>The input, parameter, state or output name, for roles that have one.</summary>
    public string? Name { get; } = name;

    /// <summary>How a parameter or state starts.</summary>
    public InitSpec? Init { get; } = init;

    /// <summary>For a result that is a parameter's or state's new value, that tensor's name: the runtime copies the result over it after each run.</summary>
    public string? Replaces { get; } = replaces;

    /// <summary>For an i32 input used as class labels or gather indices, the bound of its valid range [0, bound).</summary>
    public int? IndexBound { get; } = indexBound;

    /// <summary>The kernel expression type of elements of <paramref name="type"/>.</summary>
    public static ScalarType ScalarTypeOf(ElementType type) => type switch
    {
        ElementType.F32 => ScalarType.F32,
        ElementType.I32 => ScalarType.I32,
        ElementType.Bool => ScalarType.Bool,
        _ => throw new InvalidOperationException($"no kernel scalar type for {type}"),
    };

    /// <inheritdoc/>
    public override string ToString() => $"b{Id}{(Name is null ? "" : $"({Name})")}";
}
