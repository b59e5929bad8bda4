using ModelC.Search.Programs;

namespace ModelC.Search.Tests;

/// <summary>The task signatures the tests sample for: the 8×8 digits, tokens, and a vector.</summary>
internal static class Tasks
{
    public static TaskSignature Digits { get; } = new("x", [1, 8, 8], "y", 10);

    public static TaskSignature Tokens { get; } = new("x", [16, 32], "y", 4);

    public static TaskSignature Points { get; } = new("x", [2], "y", 3);

    public static TrainingRecipe Recipe { get; } = new();
}
