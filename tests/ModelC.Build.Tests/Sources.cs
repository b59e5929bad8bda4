namespace ModelC.Build.Tests;

/// <summary>The files of the test projects.</summary>
internal static class Sources
{
    /// <summary>Only the test's own feed: the package must restore from it, with no other source.</summary>
    public static string NuGetConfig(string feed) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="modelc" value="{feed}" />
          </packageSources>
        </configuration>
        """;

    public const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="ModelC.Build" Version="0.1.0" />
            <ModelC Include="net.mdl" Namespace="Demo" />
          </ItemGroup>
        </Project>
        """;

    /// <summary>A small classifier; its hidden layer comes from <see cref="Layers"/>.</summary>
    public const string Model = """
        import std.nn;
        import "layers.mdl";

        /// A small classifier: 16 features, 4 classes.
        model Mlp(B: batch, classes: int = 4) {
            input  x: f32[B, 16];
            input  y: i32[B];
            output logits = (hidden(32) >> linear(classes))(x);
            loss   cross_entropy(logits, y);
            optimizer adamw(lr = 1e-2);
        }

        """;

    /// <summary>Two models; the second's output width is <c>width * depth</c>.</summary>
    public const string TwoModels = """
        import std.nn;

        model First(B: batch) {
            input  x: f32[B, 2];
            output y = linear(3)(x);
        }

        model Second(B: batch, width: int = 5, depth: int = 1) {
            input  x: f32[B, 2];
            output y = linear(width * depth)(x);
        }

        """;

    /// <summary>Prints the width of <c>Second</c>'s output, whether a class <c>First</c> was generated and whether <c>Second</c> is public.</summary>
    public const string TwoModelsProgram = """
        using var second = new Demo.Second(batch: 1);
        Console.WriteLine(second.Forward(new float[2]).Length);
        Console.WriteLine(typeof(Demo.Second).Assembly.GetType("Demo.First") is not null);
        Console.WriteLine(typeof(Demo.Second).IsPublic);

        """;

    /// <summary>
    /// Trains two instances of <see cref="Model"/>'s class from the same seed, one on the CPU and one on
    /// ILGPU's CPU accelerator, for five steps on one batch, and prints the device the second runs on
    /// and the largest difference between their losses and between their logits after training.
    /// </summary>
    public const string GpuProgram = """
        using System.Globalization;
        using Demo;
        using ModelC.Runtime.Bindings;

        const int batch = 8, features = 16;
        var random = new Random(7);
        var x = new float[batch * features];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)(random.NextDouble() * 2 - 1);
        }
        var y = Enumerable.Range(0, batch).Select(b => b % 4).ToArray();

        using var cpu = new Mlp(batch: batch, seed: 1);
        using var gpu = new Mlp(batch: batch, seed: 1, device: ModelDevice.IlgpuCpu);
        var losses = 0.0;
        for (var step = 0; step < 5; step++)
        {
            losses = Math.Max(losses, Math.Abs(cpu.TrainStep(x, y) - gpu.TrainStep(x, y)));
        }
        var logits = cpu.Forward(x).Zip(gpu.Forward(x)).Max(p => Math.Abs(p.First - p.Second));

        Console.WriteLine($"device {(int)gpu.Device}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loss difference {losses:R}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"logits difference {logits:R}"));

        """;

    /// <summary><see cref="Model"/> with a misspelt name at line 8, column 36.</summary>
    public static readonly string ModelWithError = Model.Replace(">> linear(classes)", ">> lineer(classes)", StringComparison.Ordinal);

    public const string Layers = """
        import std.nn;

        /// A hidden layer: linear, then ReLU.
        block hidden(n: int) = linear(n) >> relu;

        """;

    /// <summary>
    /// Learns 8 samples (the label is the largest of the first four features) and prints the first
    /// and last loss, the size of the logits and how many samples it then classifies right; then
    /// the logits of the first 3 samples through the tensor overload: their shape and whether they
    /// are the flat overload's on the same samples.
    /// </summary>
    public const string Program = """
        using System.Globalization;
        using System.Numerics.Tensors;
        using Demo;

        const int batch = 8, features = 16, classes = 4;
        var random = new Random(7);
        var x = new float[batch * features];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)(random.NextDouble() * 2 - 1);
        }
        var y = new int[batch];
        for (var b = 0; b < batch; b++)
        {
            y[b] = Enumerable.Range(0, classes).MaxBy(c => x[b * features + c]);
        }

        using var net = new Mlp(batch: batch, seed: 1);
        var first = net.TrainStep(x, y);
        var last = first;
        for (var step = 1; step < 60; step++)
        {
            last = net.TrainStep(x, y);
        }
        float[] logits = net.Forward(x);
        var right = Enumerable.Range(0, batch).Count(b => Enumerable.Range(0, classes).MaxBy(c => logits[b * classes + c]) == y[b]);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first loss {first:R}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"last loss {last:R}"));
        Console.WriteLine($"logits {logits.Length}");
        Console.WriteLine($"right {right}");

        Tensor<float> shaped = net.Forward(Tensor.Create(x[..(3 * features)], [3, features]));
        var flat = new float[shaped.FlattenedLength];
        shaped.FlattenTo(flat);
        Console.WriteLine($"tensor rows {shaped.Lengths[0]}");
        Console.WriteLine($"tensor columns {shaped.Lengths[1]}");
        Console.WriteLine($"tensor same {(flat.SequenceEqual(net.Forward(x.AsSpan(0, 3 * features))) ? 1 : 0)}");

        """;
}
