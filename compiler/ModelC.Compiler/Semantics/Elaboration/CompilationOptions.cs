namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>Settings of a compilation.</summary>
public sealed record CompilationOptions
{
    /// <summary>The default recursion limit for block instantiation.</summary>
    public const int DefaultMaxDepth = 100;

    /// <summary>The folder holding <c>nn.mdl</c>, <c>mgno.mdl</c>, …; by default the <c>stdlib</c> folder next to the compiler.</summary>
    public string StandardLibrary { get; init; } = DefaultStandardLibrary();

    /// <summary>The largest recursion limit accepted; deeper instantiation would not fit the stack.</summary>
    public const int LargestMaxDepth = 10_000;

    /// <summary>How deeply blocks may instantiate blocks before recursion is reported as runaway (1 to <see cref="LargestMaxDepth"/>).</summary>
    public int MaxDepth
    {
        get => _maxDepth;
        init => _maxDepth = value is >= 1 and <= LargestMaxDepth
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDepth), value, $"must be between 1 and {LargestMaxDepth}");
    }

    private readonly int _maxDepth = DefaultMaxDepth;

    /// <summary>
    /// The standard library next to the compiler's assembly, or the value of the
    /// <c>MODELC_STDLIB</c> environment variable when it is set.
    /// </summary>
    public static string DefaultStandardLibrary() =>
        System.Environment.GetEnvironmentVariable("MODELC_STDLIB") is { Length: > 0 } path
            ? path
            : Path.Combine(AppContext.BaseDirectory, "stdlib");
}
