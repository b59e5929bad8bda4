using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Training;

/// <summary>
/// A model compiled for evaluation (its loss with running statistics and no updates), able to
/// make an instance at any batch size, so that a data set's last, smaller batch is measured too.
/// </summary>
public sealed class EvaluationProgram
{
    private readonly Func<int, ModelInstance> _instanceAt;

    /// <summary>A program whose instances <paramref name="instanceAt"/> makes.</summary>
    /// <param name="manifest">The program's manifest.</param>
    /// <param name="instanceAt">Makes an instance for a batch size; whoever asks for one disposes it.</param>
    public EvaluationProgram(ModelManifest manifest, Func<int, ModelInstance> instanceAt)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(instanceAt);
        Manifest = manifest;
        _instanceAt = instanceAt;
    }

    /// <summary>A program of <paramref name="kernels"/> whose every symbolic dimension is the batch.</summary>
    /// <param name="manifest">The program's manifest.</param>
    /// <param name="kernels">Its code (built or JIT-compiled); the caller keeps it alive and disposes it.</param>
    /// <param name="options">Threads and seed of each instance.</param>
    public EvaluationProgram(ModelManifest manifest, IKernelLibrary kernels, ModelOptions? options = null)
        : this(manifest, batch => new ModelInstance(manifest, kernels, manifest.Symbols.ToDictionary(s => s, _ => batch), options))
    {
    }

    /// <summary>The program's manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>A new instance for batches of <paramref name="batch"/> samples.</summary>
    public ModelInstance Instantiate(int batch) => _instanceAt(batch);
}
