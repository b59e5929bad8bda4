using System.IO.Compression;
using System.Reflection;
using System.Runtime.Loader;
using ModelC.DotNet;
using ModelC.Gpu.Runtime;
using ModelC.Runtime.Bindings;
using ModelC.Runtime.Packaging;

namespace ModelC.Cli.Tests;

/// <summary>
/// The device option of the generated class: an assembly built with <c>--device</c> carries each
/// program's GPU kernels, and an instance created on <see cref="ModelDevice.IlgpuCpu"/> runs the
/// forward pass and train steps as the CPU instance does (the GPU differential tests' tolerances:
/// 1e-5 forward, 1e-4 after training). CUDA without a device, a model built without GPU kernels
/// and tampered kernels are refused with their messages.
/// </summary>
public sealed class GeneratedClassDeviceTests(GeneratedClassDeviceTests.BuiltTiny tiny) : IClassFixture<GeneratedClassDeviceTests.BuiltTiny>
{
    private const int Batch = 8;
    private const string KernelsEntry = "Tiny/inference.kernels.dll";

    /// <summary><c>Tiny.Forward(ReadOnlySpan&lt;float&gt; x)</c>.</summary>
    public delegate float[] Forward(ReadOnlySpan<float> x);

    /// <summary><c>Tiny.TrainStep(ReadOnlySpan&lt;float&gt; x, ReadOnlySpan&lt;int&gt; y)</c>.</summary>
    public delegate float TrainStep(ReadOnlySpan<float> x, ReadOnlySpan<int> y);

    [Fact]
    public void ForwardAndTrainStepsOnIlgpuCpuMatchTheCpuInstance()
    {
        var (x, y) = Inputs();
        using var cpu = tiny.Create(tiny.WithGpu, ModelDevice.Cpu);
        using var gpu = tiny.Create(tiny.WithGpu, ModelDevice.IlgpuCpu);
        Assert.Equal(ModelDevice.Cpu, cpu.Device);
        Assert.Equal(ModelDevice.IlgpuCpu, gpu.Device);
        Assert.All(cpu.ParameterNames, name => Assert.Equal(cpu.Parameter(name).ToArray(), gpu.Parameter(name).ToArray()));

        AssertClose(BuiltTiny.ForwardOf(cpu)(x), BuiltTiny.ForwardOf(gpu)(x), 1e-5);
        var cpuLosses = Enumerable.Range(0, 10).Select(_ => BuiltTiny.TrainStepOf(cpu)(x, y)).ToArray();
        var gpuLosses = Enumerable.Range(0, 10).Select(_ => BuiltTiny.TrainStepOf(gpu)(x, y)).ToArray();

        AssertClose(cpuLosses, gpuLosses, 1e-4);
        Assert.True(gpuLosses[^1] < gpuLosses[0], string.Join(", ", gpuLosses));
        Assert.Equal(10, gpu.Step);
        AssertClose(BuiltTiny.ForwardOf(cpu)(x), BuiltTiny.ForwardOf(gpu)(x), 1e-4);
        Assert.All(cpu.ParameterNames, name => AssertClose(cpu.Parameter(name).ToArray(), gpu.Parameter(name).ToArray(), 1e-4));
    }

    [Fact]
    public void TheBuildFolderHoldsTheGpuRuntimeOnlyWithGpuKernels()
    {
        string[] gpuRuntime = ["ModelC.Gpu.Runtime.dll", "ILGPU.dll", "ILGPU.Algorithms.dll"];
        Assert.All(gpuRuntime, file => Assert.True(File.Exists(Path.Combine(tiny.WithGpuFolder, file)), file));
        Assert.All(gpuRuntime, file => Assert.False(File.Exists(Path.Combine(tiny.CpuOnlyFolder, file)), file));
    }

    [Fact]
    public void CudaWithoutADeviceIsRefusedSayingWhatToDo()
    {
        if (GpuAccelerator.CudaPresent())
        {
            using var onCuda = tiny.Create(tiny.WithGpu, ModelDevice.Cuda);
            Assert.Equal(ModelDevice.Cuda, onCuda.Device);
            return;
        }
        var error = Assert.Throws<GpuUnavailableException>(() => tiny.Create(tiny.WithGpu, ModelDevice.Cuda));
        Assert.Equal(
            "no CUDA device is present (ILGPU found no CUDA driver or GPU); create the model with ModelDevice.Cpu, ModelDevice.IlgpuCpu or ModelDevice.Auto (CUDA when present, else the CPU)",
            error.Message);
        using var auto = tiny.Create(tiny.WithGpu, ModelDevice.Auto);
        Assert.Equal(ModelDevice.Cpu, auto.Device);
    }

    [Fact]
    public void AModelBuiltWithoutGpuKernelsRunsOnlyOnTheCpu()
    {
        var error = Assert.Throws<DeviceUnavailableException>(() => tiny.Create(tiny.CpuOnly, ModelDevice.IlgpuCpu));
        Assert.Equal(
            "model Tiny was built without GPU kernels, so it cannot run on ModelDevice.IlgpuCpu: build it with 'modelc build --device ilgpu-cpu' (MSBuild: GpuKernels=\"true\" on its ModelC item), or use ModelDevice.Cpu",
            error.Message);
        using var auto = tiny.Create(tiny.CpuOnly, ModelDevice.Auto);
        Assert.Equal(ModelDevice.Cpu, auto.Device);
    }

    [Fact]
    public void KernelsChangedInTheBundleAreRefusedByTheManifestsHash()
    {
        using var bundle = new MemoryStream();
        bundle.Write(tiny.BundleBytes());
        using (var archive = new ZipArchive(bundle, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = archive.GetEntry(KernelsEntry)!;
            byte[] kernels;
            using (var stream = entry.Open())
            {
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                kernels = copy.ToArray();
            }
            kernels[kernels.Length / 2] ^= 0x5a;
            entry.Delete();
            using var replaced = archive.CreateEntry(KernelsEntry).Open();
            replaced.Write(kernels);
        }

        var error = Assert.Throws<InvalidDataException>(() => tiny.Create(tiny.Compile("tampered-kernels", bundle.ToArray()), ModelDevice.IlgpuCpu));
        Assert.StartsWith("manifest field 'librarySha256': the GPU kernel assembly of model Tiny (inference) has SHA-256 ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEditedGpuManifestIsRefusedByTheAssemblysStamp()
    {
        var model = ModelBundle.Read(new MemoryStream(tiny.BundleBytes()), "built")["Tiny"];
        var gpu = model.Inference.Gpu!;
        var edited = model with { Inference = model.Inference with { Gpu = gpu with { Manifest = gpu.Manifest with { ScratchBytes = 64 } } } };
        using var bundle = new MemoryStream();
        ModelBundle.Write(bundle, [edited]);

        var error = Assert.Throws<InvalidDataException>(() => tiny.Create(tiny.Compile("edited-manifest", bundle.ToArray()), ModelDevice.IlgpuCpu));
        Assert.StartsWith("the GPU manifest of model Tiny (inference) does not match its kernel assembly", error.Message, StringComparison.Ordinal);
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, tolerance * Math.Max(1, Math.Abs(p.First))));
    }

    private static (float[] X, int[] Y) Inputs()
    {
        var random = new Random(11);
        return ([.. Enumerable.Range(0, Batch * 4).Select(_ => (float)(random.NextDouble() * 2 - 1))], [.. Enumerable.Range(0, Batch).Select(_ => random.Next(3))]);
    }

    /// <summary>
    /// The tiny classifier's assembly built twice, with <c>--device ilgpu-cpu</c> (<see cref="WithGpu"/>)
    /// and without (<see cref="CpuOnly"/>), each loaded in a context of its own as an app would.
    /// </summary>
    public sealed class BuiltTiny : IDisposable
    {
        private readonly ScratchFolder _scratch = new();

        public BuiltTiny()
        {
            var source = _scratch.Write("tiny.mdl", TinyClassifier.Source);
            WithGpuFolder = Build(source, "gpu", "--device", "ilgpu-cpu");
            CpuOnlyFolder = Build(source, "cpu");
            WithGpu = Load("gpu", Path.Combine(WithGpuFolder, "Tiny.dll"));
            CpuOnly = Load("cpu", Path.Combine(CpuOnlyFolder, "Tiny.dll"));
        }

        /// <summary>The build folder with GPU kernels.</summary>
        public string WithGpuFolder { get; }

        /// <summary>The build folder without them.</summary>
        public string CpuOnlyFolder { get; }

        /// <summary>The class from the build with GPU kernels.</summary>
        public Type WithGpu { get; }

        /// <summary>The class from the build without them.</summary>
        public Type CpuOnly { get; }

        /// <summary>An instance for batch 8 on one thread, seed 3, on <paramref name="device"/>; the constructor's exception unwrapped.</summary>
        public CompiledModel Create(Type type, ModelDevice device)
        {
            try
            {
                return (CompiledModel)Activator.CreateInstance(type, Batch, 1, 3UL, device)!;
            }
            catch (TargetInvocationException e) when (e.InnerException is { } inner)
            {
                throw inner;
            }
        }

        /// <summary>The bundle embedded in the assembly built with GPU kernels.</summary>
        public byte[] BundleBytes()
        {
            using var stream = WithGpu.Assembly.GetManifestResourceStream("tiny.modelc")!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }

        /// <summary>The class of an assembly compiled, as <c>modelc build</c> does, over the bundle <paramref name="bundle"/>.</summary>
        public Type Compile(string name, byte[] bundle)
        {
            var folder = Directory.CreateDirectory(Path.Combine(_scratch.Path, name)).FullName;
            var models = ModelBundle.Read(new MemoryStream(bundle), name).Values.Select(m => new ModelBinding(m, null)).ToList();
            var assembly = Path.Combine(folder, "Tiny.dll");
            BindingAssembly.Compile("Tiny", BindingSource.Generate("tiny.mdl", "ModelC.Models", models), "tiny.modelc", bundle, assembly, Path.Combine(folder, "Tiny.xml"));
            return Load(name, assembly);
        }

        public static Forward ForwardOf(CompiledModel model) =>
            model.GetType().GetMethod("Forward", [typeof(ReadOnlySpan<float>)])!.CreateDelegate<Forward>(model);

        public static TrainStep TrainStepOf(CompiledModel model) =>
            model.GetType().GetMethod("TrainStep", [typeof(ReadOnlySpan<float>), typeof(ReadOnlySpan<int>)])!.CreateDelegate<TrainStep>(model);

        public void Dispose() => _scratch.Dispose();

        private string Build(string source, string name, params string[] extra)
        {
            var folder = Path.Combine(_scratch.Path, name);
            var build = Modelc.Run(["build", source, "--stdlib", Modelc.Stdlib, "-o", folder, "--cpu", "x86-64-v3", .. extra]);
            Assert.True(build.ExitCode == 0, build.ToString());
            return folder;
        }

        private static Type Load(string name, string assembly) =>
            new AssemblyLoadContext(name).LoadFromAssemblyPath(assembly).GetType("ModelC.Models.Tiny", throwOnError: true)!;
    }
}
