namespace ModelC.Cli.Tests;

/// <summary>A three-class classifier small enough to train in a test: 4 features, one hidden layer of 8, Adam.</summary>
internal static class TinyClassifier
{
    /// <summary>Its source, model <c>Tiny</c>.</summary>
    public const string Source = """
        import std.nn;
        model Tiny(B: batch) {
            input  x: f32[B, 4];
            input  y: i32[B];
            output logits = (linear(8) >> tanh >> linear(3))(x);
            loss   cross_entropy(logits, y);
            optimizer adam(lr = 1e-2);
        }
        """;
}
