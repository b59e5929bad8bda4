namespace ModelC.Training.Tests;

/// <summary>examples/mlp/mlp.mdl (784-512-512-10, AdamW), compiled once for the tests that share it.</summary>
public sealed class CompiledMlp : IDisposable
{
    /// <summary>Its programs.</summary>
    public TrainablePrograms Programs { get; } = TrainablePrograms.Compile(File.ReadAllText(RepositoryPaths.Get("examples", "mlp", "mlp.mdl")));

    /// <inheritdoc/>
    public void Dispose() => Programs.Dispose();
}
