using ModelC.Runtime.Data;

namespace ModelC.Data.Synthetic;

/// <summary>
/// Token sequences and per-position targets for sequence models (examples/macaron/reverse.mdl):
/// uniform random tokens in <c>0..vocab-1</c>, and their copy, reversal or sorted order.
/// </summary>
public static class SequenceDataSet
{
    /// <summary>
    /// Generates <paramref name="count"/> samples: <c>tokens</c> int32 <c>[count, length]</c> and the
    /// target, int32 of the same shape, named <see cref="TargetName"/> (<c>reversed</c> for
    /// reversal, as the example model calls it; <c>target</c> otherwise — see <see cref="Dataset.Rename"/>).
    /// </summary>
    /// <param name="task">What the target is.</param>
    /// <param name="count">Samples.</param>
    /// <param name="seed">The seed; sample i depends only on (seed, i).</param>
    /// <param name="length">Tokens per sequence, S.</param>
    /// <param name="vocab">The vocabulary size; tokens are <c>0..vocab-1</c>.</param>
    public static Dataset Generate(SequenceTask task, int count, ulong seed, int length = 12, int vocab = 16)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocab);
        var tokens = new int[count * length];
        var targets = new int[count * length];
        for (var i = 0; i < count; i++)
        {
            var random = SampleRandom.For(seed, i);
            var sequence = tokens.AsSpan(i * length, length);
            for (var t = 0; t < length; t++)
            {
                sequence[t] = SampleOrder.UniformIndex(random, (uint)vocab);
            }
            var target = targets.AsSpan(i * length, length);
            sequence.CopyTo(target);
            if (task == SequenceTask.Reverse)
            {
                target.Reverse();
            }
            else if (task == SequenceTask.Sort)
            {
                target.Sort();
            }
        }
        return new Dataset(("tokens", DataArray.Of(tokens, count, length)), (TargetName(task), DataArray.Of(targets, count, length)));
    }

    /// <summary>The name of the target array: <c>reversed</c> for <see cref="SequenceTask.Reverse"/>, else <c>target</c>.</summary>
    public static string TargetName(SequenceTask task) => task == SequenceTask.Reverse ? "reversed" : "target";
}
