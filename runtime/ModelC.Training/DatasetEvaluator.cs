using ModelC.Data;
using ModelC.Runtime.Execution;

namespace ModelC.Training;

/// <summary>
/// Measures data sets with a model's evaluation program and the weights of the model being
/// trained: the mean loss, and the accuracy of a classifier. Every sample counts once, the last,
/// smaller batch included: the program has an instance per batch size met, kept for reuse.
/// </summary>
public sealed class DatasetEvaluator : IDisposable
{
    private readonly EvaluationProgram _program;
    private readonly DataFeed _feed;
    private readonly string _lossOutput;
    private readonly Dictionary<int, ModelInstance> _instances = [];

    /// <summary>Evaluates with <paramref name="program"/>, fed by <paramref name="feed"/>.</summary>
    /// <param name="program">The evaluation program.</param>
    /// <param name="feed">The inputs the data sets feed.</param>
    /// <param name="lossOutput">The program's scalar loss output.</param>
    /// <param name="metric">The classification metric, or null for none.</param>
    public DatasetEvaluator(EvaluationProgram program, DataFeed feed, string lossOutput, ClassificationMetric? metric)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(lossOutput);
        _program = program;
        _feed = feed;
        _lossOutput = lossOutput;
        Metric = metric;
    }

    /// <summary>The metric, when the model is a classifier.</summary>
    public ClassificationMetric? Metric { get; }

    /// <summary>
    /// Evaluates <paramref name="data"/> (checked by the feed) in batches of <paramref name="batchSize"/>
    /// with the parameters and states of <paramref name="trained"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The data set is empty.</exception>
    public Evaluation Evaluate(ModelInstance trained, Dataset data, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0)
        {
            throw new ArgumentException("an empty data set has no loss to measure", nameof(data));
        }
        double loss = 0;
        long correct = 0, total = 0;
        var updated = new HashSet<ModelInstance>();
        foreach (var indices in data.Batches(batchSize, shuffleSeed: null, LastBatch.Keep))
        {
            var model = Instance(indices.Length);
            if (updated.Add(model))
            {
                model.CopyWeightsFrom(trained);
            }
            _feed.Feed(model, data, indices);
            model.Run();
            loss += model.Floats(_lossOutput)[0] * (double)indices.Length;
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
            instance = _program.Instantiate(batch);
            _instances[batch] = instance;
        }
        return instance;
    }

    /// <summary>Frees the instances made for each batch size (the program's code is the caller's).</summary>
    public void Dispose()
    {
        foreach (var instance in _instances.Values)
        {
            instance.Dispose();
        }
        _instances.Clear();
    }
}
