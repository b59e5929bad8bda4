using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace ModelC.Cli.Tests;

/// <summary>
/// The generated class's tensor overloads (examples/mlp/mlp.mdl, through the assembly
/// <c>modelc build</c> writes): they give the flat spans' results bit for bit at every batch up to
/// the bound, return outputs of the model's shape, copy strided inputs, and refuse a wrong shape
/// with one message naming the input and both shapes.
/// </summary>
public sealed class TensorOverloadTests(DotNetAssemblyTests.BuiltMlp mlp) : IClassFixture<DotNetAssemblyTests.BuiltMlp>
{
    private const int Bound = 32;

    [Fact]
    public void ForwardOnTensorsIsForwardOnSpansBitForBitAtBatches1And7And32()
    {
        using var model = mlp.Create(Bound, threads: 2, seed: 3);
        var spans = mlp.ForwardOf(model);
        var tensors = mlp.TensorForwardOf(model);
        foreach (var batch in new[] { 1, 7, 32 })
        {
            var x = Values(batch * 784, seed: batch);
            var expected = spans(x);

            var logits = tensors(Tensor.Create(x, [batch, 784]));

            Assert.Equal([batch, 10], logits.Lengths.ToArray());
            Assert.Equal(Bits(expected), Bits(Flat(logits)));
        }
    }

    [Fact]
    public void TrainStepOnTensorsIsTrainStepOnSpansBitForBit()
    {
        using var onSpans = mlp.Create(Bound, threads: 1, seed: 4);
        using var onTensors = mlp.Create(Bound, threads: 1, seed: 4);
        foreach (var batch in new[] { 1, 7, 32 })
        {
            var x = Values(batch * 784, seed: batch);
            var y = Enumerable.Range(0, batch).Select(i => i % 10).ToArray();

            var expected = mlp.TrainStepOf(onSpans)(x, y);
            var loss = mlp.TensorTrainStepOf(onTensors)(Tensor.Create(x, [batch, 784]), Tensor.Create(y, [batch]));

            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(loss));
        }
        Assert.Equal(Bits(onSpans.Parameter("logits.linear_0.weight")), Bits(onTensors.Parameter("logits.linear_0.weight")));
    }

    [Fact]
    public void AStridedTensorSpanIsCopiedInRowMajorOrder()
    {
        using var model = mlp.Create(Bound, threads: 1, seed: 5);
        const int batch = 3;
        var x = Values(batch * 784, seed: 9);
        // The transpose of a [784, B] tensor: [B, 784] with strides [1, B], not dense.
        var columns = new float[x.Length];
        for (var b = 0; b < batch; b++)
        {
            for (var f = 0; f < 784; f++)
            {
                columns[f * batch + b] = x[b * 784 + f];
            }
        }
        var strided = new ReadOnlyTensorSpan<float>(columns, [batch, 784], [1, batch]);
        Assert.False(strided.IsDense);

        var logits = mlp.TensorForwardOf(model)(strided);

        Assert.Equal(Bits(mlp.ForwardOf(model)(x)), Bits(Flat(logits)));
    }

    [Theory]
    [InlineData(new[] { 2, 785 }, "[2, 785]")]
    [InlineData(new[] { 33, 784 }, "[33, 784]")]
    [InlineData(new[] { 2 * 784 }, "[1568]")]
    public void ATensorOfTheWrongShapeIsRefusedWithTheInputAndBothShapes(int[] shape, string actual)
    {
        using var model = mlp.Create(Bound, threads: 1, seed: 0);
        var lengths = shape.Select(d => (nint)d).ToArray();
        var values = new float[shape.Aggregate(1, (p, d) => p * d)];

        var error = Assert.Throws<ArgumentException>(() => mlp.TensorForwardOf(model)(Tensor.Create(values, lengths)));

        Assert.Equal($"input x of model Mlp has shape [B, 784] for B from 1 to 32; got a tensor of shape {actual} (Parameter 'x')", error.Message);
    }

    private static float[] Values(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)random.NextDouble())];
    }

    private static float[] Flat(Tensor<float> tensor)
    {
        var values = new float[tensor.FlattenedLength];
        tensor.FlattenTo(values);
        return values;
    }

    private static int[] Bits(ReadOnlySpan<float> values) => MemoryMarshal.Cast<float, int>(values).ToArray();
}
