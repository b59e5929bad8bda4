namespace ModelC.Training.Tests;

/// <summary>A linear classifier of two features into three classes, small enough to compile in a moment.</summary>
public sealed class CompiledClassifier : IDisposable
{
    /// <summary>Its source.</summary>
    public const string Source = """
        import std.nn;
        model Linear(B: batch) {
            input  x: f32[B, 2];
            input  y: i32[B];
            output logits = linear(3)(x);
            loss   cross_entropy(logits, y);
        }
        """;

    /// <summary>Its programs.</summary>
    public TrainablePrograms Programs { get; } = TrainablePrograms.Compile(Source);

    /// <inheritdoc/>
    public void Dispose() => Programs.Dispose();
}
