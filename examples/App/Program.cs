using System.Globalization;
using ModelC.Examples.App;

// Trains the MLP of examples/mlp/mlp.mdl (784-512-512-10) on synthetic "digits": each class
// brightens its own band of pixels a little, under uniform noise. The Mlp class and its kernels
// were generated from the .mdl file when this project was built.
const int Batch = 32, Pixels = 784, Classes = 10, Steps = 150;
var random = new Random(42);
var x = new float[Batch * Pixels];
var y = new int[Batch];

using var net = new Mlp(batch: Batch, seed: 42);
for (var step = 1; step <= Steps; step++)
{
    Fill(random, x, y);
    var loss = net.TrainStep(x, y);
    if (step == 1 || step % 30 == 0)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {step,3}  loss {loss:F4}"));
    }
}

Fill(random, x, y);
float[] logits = net.Forward(x);
var right = 0;
for (var b = 0; b < Batch; b++)
{
    var predicted = Enumerable.Range(0, Classes).MaxBy(c => logits[b * Classes + c]);
    right += predicted == y[b] ? 1 : 0;
    if (b < 5)
    {
        Console.WriteLine($"sample {b}: label {y[b]}, predicted {predicted}");
    }
}
Console.WriteLine($"fresh batch: {right}/{Batch} right");

// The weights round-trip through a safetensors file into a new instance.
var checkpoint = Path.Combine(Path.GetTempPath(), $"mlp-{Environment.ProcessId}.safetensors");
net.Save(checkpoint);
using var restored = new Mlp(batch: Batch);
restored.Load(checkpoint);
File.Delete(checkpoint);
Console.WriteLine($"restored from a checkpoint: {(restored.Forward(x).SequenceEqual(logits) ? "same" : "different")} logits");

// A batch of random labels and their images: noise in [0, 1), plus 0.3 on the label's band of pixels.
static void Fill(Random random, float[] x, int[] y)
{
    const int band = Pixels / Classes;
    for (var b = 0; b < Batch; b++)
    {
        y[b] = random.Next(Classes);
        for (var p = 0; p < Pixels; p++)
        {
            x[b * Pixels + p] = (float)random.NextDouble() + (p / band == y[b] ? 0.3f : 0f);
        }
    }
}
