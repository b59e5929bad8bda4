using System.Diagnostics;
using ModelC.Distributed;
using ModelC.Runtime;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Optimization;

namespace ModelC.Training;

/// <summary>
/// One optimizer step of data-parallel training on every rank: the gradients program runs on the
/// rank's shard of the batch; its gradients and loss, packed into one buffer, are summed over the
/// ranks by one allreduce and divided by the rank count (each rank's loss is the mean over its
/// shard, so this is the mean over the global batch); then every rank applies the same update,
/// and the new weights go back into the gradients program.
/// </summary>
internal sealed class DataParallelStep
{
    /// <summary>The suffix the compiler gives a gradient's name.</summary>
    public const string GradientSuffix = ":grad";

    private readonly TrainStepParts _parts;
    private readonly ICommunicator _communicator;
    private readonly string[] _gradients;
    private readonly string[] _modelStates;
    private readonly string[] _shared;
    private readonly float[] _packed;
    private readonly double _baseRate;
    private readonly long _stepsPerEpoch, _totalSteps;

    public DataParallelStep(TrainStepParts parts, ICommunicator communicator, long stepsPerEpoch, long totalSteps, double? learningRate)
    {
        _parts = parts;
        _communicator = communicator;
        var update = parts.Update.Manifest;
        _gradients = [.. parts.Gradients.Manifest.TensorsOf(TensorRole.Output).Select(t => t.Name).Where(n => n.EndsWith(GradientSuffix, StringComparison.Ordinal))];
        if (_gradients.Length == 0 || _gradients.Any(g => !update.TensorsOf(TensorRole.Input).Any(t => t.Name == g)))
        {
            throw new ArgumentException($"the update program {update.Name} does not take every gradient of the gradients program as an input", nameof(parts));
        }
        _modelStates = [.. parts.Gradients.Manifest.TensorsOf(TensorRole.State).Select(t => t.Name)];
        _shared = [.. update.Tensors.Where(t => t.Role is TensorRole.Parameter or TensorRole.State && update.Buffers[t.Buffer].Type == ElementType.F32).Select(t => t.Name)];
        _packed = new float[_gradients.Sum(g => parts.Gradients.Floats(g).Length) + 1];
        _baseRate = learningRate ?? parts.Training.Optimizer.LearningRate;
        _stepsPerEpoch = stepsPerEpoch;
        _totalSteps = totalSteps;
    }

    /// <summary>The learning rate the next step will use.</summary>
    public double LearningRate =>
        LearningRateSchedule.At(_parts.Training.Optimizer.Schedule, _baseRate, (long)_parts.Update.Floats(_parts.Training.StepState)[0], _stepsPerEpoch, _totalSteps);

    /// <summary>The time spent in the allreduce, over all steps.</summary>
    public TimeSpan ReduceTime { get; private set; }

    /// <summary>Gives every rank rank 0's parameters and states (the optimizer's included), in both programs.</summary>
    public void ShareWeights()
    {
        foreach (var name in _shared)
        {
            _communicator.Broadcast(_parts.Update.Floats(name));
        }
        _parts.Gradients.CopyWeightsFrom(_parts.Update);
    }

    /// <summary>One step on the shard already fed to the gradients program; returns the global batch's loss before the update.</summary>
    public float Run()
    {
        var rate = LearningRate;
        _parts.Gradients.Run();
        var offset = 0;
        foreach (var name in _gradients)
        {
            var gradient = _parts.Gradients.Floats(name);
            gradient.CopyTo(_packed.AsSpan(offset));
            offset += gradient.Length;
        }
        _packed[offset] = _parts.Gradients.Floats(_parts.Training.LossOutput)[0];
        var clock = Stopwatch.StartNew();
        _communicator.AllreduceSum(_packed);
        ReduceTime += clock.Elapsed;
        var scale = 1f / _communicator.Size;
        offset = 0;
        foreach (var name in _gradients)
        {
            var input = _parts.Update.Floats(name);
            for (var i = 0; i < input.Length; i++)
            {
                input[i] = _packed[offset + i] * scale;
            }
            offset += input.Length;
        }
        foreach (var state in _modelStates)
        {
            _parts.Gradients.Floats(state).CopyTo(_parts.Update.Floats(state));
        }
        _parts.Update.Floats(_parts.Training.LearningRateInput)[0] = (float)rate;
        _parts.Update.Run();
        _parts.Gradients.CopyWeightsFrom(_parts.Update);
        return _packed[offset] * scale;
    }
}
