using System.Diagnostics;
using ModelC.Distributed;
using ModelC.Runtime;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Optimization;

namespace ModelC.Training;

/// <summary>
/// One optimizer step of data-parallel training on every rank: the gradients program runs on the
/// rank's shard of the batch; its gradients and loss are summed over the ranks in buckets
/// (<see cref="GradientBuckets"/>) and divided by the rank count (each rank's loss is the mean over
/// its shard, so this is the mean over the global batch); then every rank applies the same
/// update, and the new weights go back into the gradients program. The program pauses after the
/// last kernel that writes each bucket's tensors; the bucket is packed there and summed on the
/// <see cref="BucketReducer"/>'s thread while the later kernels run. Element for element the sums
/// are those of one allreduce of everything, so the bucket size does not change the numbers.
/// </summary>
internal sealed class DataParallelStep : IDisposable
{
    /// <summary>The suffix the compiler gives a gradient's name.</summary>
    public const string GradientSuffix = ":grad";

    private readonly TrainStepParts _parts;
    private readonly ICommunicator _communicator;
    private readonly string[] _gradients;
    private readonly string[] _modelStates;
    private readonly string[] _shared;
    private readonly float[] _packed;
    private readonly GradientBucket[] _buckets;
    // The kernels the gradients program pauses after, and the first bucket each one readies
    // (buckets are in the order they become ready; one kernel may ready several).
    private readonly int[] _pauses;
    private readonly int[] _firstBucketAt;
    private readonly BucketReducer _reducer;
    private readonly Action<int> _paused;
    private readonly double _baseRate;
    private readonly long _stepsPerEpoch, _totalSteps;

    public DataParallelStep(TrainStepParts parts, ICommunicator communicator, long stepsPerEpoch, long totalSteps, double? learningRate, long bucketBytes)
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
        _buckets = [.. GradientBuckets.Plan(parts.Gradients.Manifest, _gradients.Append(parts.Training.LossOutput).Select(n => (n, parts.Gradients.Floats(n).Length)), bucketBytes)];
        _packed = new float[_buckets.Sum(b => b.Length)];
        _pauses = [.. _buckets.Select(b => b.ReadyAfter).Where(k => k >= 0).Distinct()];
        _firstBucketAt = [.. _pauses.Select(k => Array.FindIndex(_buckets, b => b.ReadyAfter == k))];
        _reducer = new BucketReducer(communicator, _packed, [.. _buckets]);
        _paused = StartReadyBuckets;
        _baseRate = learningRate ?? parts.Training.Optimizer.LearningRate;
        _stepsPerEpoch = stepsPerEpoch;
        _totalSteps = totalSteps;
    }

    /// <summary>The learning rate the next step will use.</summary>
    public double LearningRate =>
        LearningRateSchedule.At(_parts.Training.Optimizer.Schedule, _baseRate, (long)_parts.Update.Floats(_parts.Training.StepState)[0], _stepsPerEpoch, _totalSteps);

    /// <summary>The time spent in the allreduce calls, over all steps, on the communication thread (partly hidden behind the kernels).</summary>
    public TimeSpan ReduceTime => _reducer.ReduceTime;

    /// <summary>The time the steps waited for the allreduce after the gradients program had finished, over all steps: the part not hidden.</summary>
    public TimeSpan ReduceWaitTime { get; private set; }

    /// <summary>The buckets, in the order they are summed.</summary>
    internal IReadOnlyList<GradientBucket> Buckets => _buckets;

    /// <summary>Test hook: called on the step's thread when the gradients program has paused and started <c>bucket</c>; the kernels after the pause wait for it to return.</summary>
    internal Action<int>? BucketStarted { get; set; }

    /// <summary>Test hook: the reducer's, called on the communication thread just before a bucket's allreduce.</summary>
    internal Action<int>? Reducing
    {
        get => _reducer.Reducing;
        set => _reducer.Reducing = value;
    }

    /// <summary>
    /// Checks that every rank has rank 0's bucket layout (a collective): ranks whose programs
    /// finish their gradients in another order (compiled for other CPUs) would sum mismatched
    /// buckets.
    /// </summary>
    /// <exception cref="InvalidOperationException">This rank's layout differs from rank 0's.</exception>
    public void CheckBucketsAgree()
    {
        var mine = LayoutFingerprint();
        var root = BitConverter.GetBytes(mine);
        _communicator.Broadcast(root);
        if (BitConverter.ToUInt64(root) != mine)
        {
            throw new InvalidOperationException(
                $"rank {_communicator.Rank} groups its gradients into other allreduce buckets than rank 0 ({_buckets.Length} buckets): the ranks' gradients programs finish them in another order (compiled for different CPUs?)");
        }
    }

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
        // Buckets no kernel writes (none in practice) are ready before the program runs.
        var bucket = 0;
        for (; bucket < _buckets.Length && _buckets[bucket].ReadyAfter < 0; bucket++)
        {
            StartBucket(bucket);
        }
        _parts.Gradients.Run(_pauses, _paused);
        var clock = Stopwatch.StartNew();
        _reducer.WaitAll();
        ReduceWaitTime += clock.Elapsed;
        var scale = 1f / _communicator.Size;
        var loss = 0f;
        foreach (var summed in _buckets)
        {
            var offset = summed.Offset;
            foreach (var tensor in summed.Tensors)
            {
                var packed = _packed.AsSpan(offset, tensor.Length);
                if (tensor.Name == _parts.Training.LossOutput)
                {
                    loss = packed[0] * scale;
                }
                else
                {
                    var input = _parts.Update.Floats(tensor.Name);
                    for (var i = 0; i < input.Length; i++)
                    {
                        input[i] = packed[i] * scale;
                    }
                }
                offset += tensor.Length;
            }
        }
        foreach (var state in _modelStates)
        {
            _parts.Gradients.Floats(state).CopyTo(_parts.Update.Floats(state));
        }
        _parts.Update.Floats(_parts.Training.LearningRateInput)[0] = (float)rate;
        _parts.Update.Run();
        _parts.Gradients.CopyWeightsFrom(_parts.Update);
        return loss;
    }

    // FNV-1a over each bucket's tensor names and lengths: the same on every rank whose layout is.
    private ulong LayoutFingerprint()
    {
        var hash = 14695981039346656037UL;
        void Add(long value) => hash = (hash ^ (ulong)value) * 1099511628211UL;
        foreach (var bucket in _buckets)
        {
            Add(bucket.Length);
            foreach (var tensor in bucket.Tensors)
            {
                Add(tensor.Length);
                foreach (var c in tensor.Name)
                {
                    Add(c);
                }
            }
        }
        return hash;
    }

    /// <summary>Ends the communication thread.</summary>
    public void Dispose() => _reducer.Dispose();

    // The program has paused after kernel _pauses[pause]: every bucket it readied is complete.
    private void StartReadyBuckets(int pause)
    {
        for (var bucket = _firstBucketAt[pause]; bucket < _buckets.Length && _buckets[bucket].ReadyAfter == _pauses[pause]; bucket++)
        {
            StartBucket(bucket);
        }
    }

    private void StartBucket(int bucket)
    {
        var offset = _buckets[bucket].Offset;
        foreach (var tensor in _buckets[bucket].Tensors)
        {
            _parts.Gradients.Floats(tensor.Name).CopyTo(_packed.AsSpan(offset));
            offset += tensor.Length;
        }
        _reducer.Start(bucket);
        BucketStarted?.Invoke(bucket);
    }
}
