using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Compiler.IR;
using ModelC.Data;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Cli.Training;

/// <summary>The loss and metric of a data set under the model's evaluation graph.</summary>
/// <param name="Loss">The mean loss over the samples.</param>
/// <param name="Accuracy">For classifiers, the fraction of correct predictions; else null.</param>
internal sealed record Evaluation(double Loss, double? Accuracy);

/// <summary>
/// Runs the model's evaluation graph (loss with running statistics, no updates) over a data set
/// with the parameters and states of the model being trained. One compiled program serves every
/// batch size: an instance per size, so that the last, smaller batch is measured too.
/// </summary>
internal sealed class Evaluator : IDisposable
{
    private readonly IKernelLibrary _kernels;
    private readonly ModelManifest _manifest;
    private readonly ModelInputs _inputs;
    private readonly int _threads;
    private readonly Dictionary<int, ModelInstance> _instances = [];

    /// <summary>Compiles <paramref name="graph"/> (an evaluation graph) to feed <paramref name="inputs"/>.</summary>
    public Evaluator(Graph graph, ModelInputs inputs, int threads)
    {
        var compiled = ModelCompiler.Compile(graph, CpuTarget.Host);
        _kernels = compiled.Kernels;
        _manifest = compiled.Manifest;
        _inputs = inputs;
        _threads = threads;
        Metric = ClassificationMetric.Find(graph);
    }

    /// <summary>The metric, when the model is a classifier.</summary>
    public ClassificationMetric? Metric { get; }

    /// <summary>Evaluates <paramref name="data"/> in batches of <paramref name="batch"/> with <paramref name="trained"/>'s weights.</summary>
    public Evaluation Run(ModelInstance trained, Dataset data, int batch)
    {
        double loss = 0;
        long correct = 0, total = 0;
        var current = new HashSet<ModelInstance>();
        foreach (var indices in data.Batches(batch, shuffleSeed: null, LastBatch.Keep))
        {
            var model = Instance(indices.Length);
            if (current.Add(model))
            {
                model.CopyWeightsFrom(trained);
            }
            _inputs.Feed(model, data, indices);
            model.Run();
            loss += model.Floats("loss")[0] * (double)indices.Length;
            if (Metric is not null)
            {
                var (c, t) = Metric.Count(model);
                correct += c;
                total += t;
            }
        }
        return new Evaluation(loss / data.Count, Metric is null ? null : (double)correct / total);
    }

    private ModelInstance Instance(int batch)
    {
        if (!_instances.TryGetValue(batch, out var instance))
        {
            instance = new ModelInstance(_manifest, _kernels, _manifest.Symbols.ToDictionary(s => s, _ => batch), new ModelOptions(_threads));
            _instances[batch] = instance;
        }
        return instance;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var instance in _instances.Values)
        {
            instance.Dispose();
        }
        _kernels.Dispose();
    }
}
