namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>Settings of a compilation.</summary>
public sealed record CompilationOptions
{
    /// <summary>The default recursion limit for block instantiation.</summary>
    public const int DefaultMaxDepth = 100;

    /// <summary>The folder holding <c>nn.mdl</c>, <c>mgno.mdl</c>, …; by default the <c>stdlib</c> folder next to the compiler.</summary>
    public string StandardLibrary { get; init; } = DefaultStandardLibrary();

    /// <summary>How deeply blocks may instantiate blocks before recursion is reported as runaway.</summary>
    public int MaxDepth { get; init; } = DefaultMaxDepth;

    /// <summary>
    /// The standard library next to the compiler's assembly, or the value of the
    /// <c>MODELC_STDLIB</c> environment variable when it is set.
    /// </summary>
    public static string DefaultStandardLibrary() =>
        System.Environment.GetEnvironmentVariable("MODELC_STDLIB") is { Length: > 0 } path
            ? path
            : Path.Combine(AppContext.BaseDirectory, "stdlib");
}
