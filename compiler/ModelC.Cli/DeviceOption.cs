using System.CommandLine;
using ModelC.Backend.Cpu;
using ModelC.Backend.Targets;
using ModelC.Gpu;
using ModelC.Gpu.Runtime;
using ModelC.Runtime.Execution;

namespace ModelC.Cli;

/// <summary>
/// <c>--device cpu|cuda|ilgpu-cpu|auto</c> of run and train: the CPU backend (the default), or the
/// GPU target on a CUDA GPU or on ILGPU's CPU accelerator (slow; for machines without a GPU);
/// <c>auto</c> picks CUDA when ILGPU sees a CUDA device, else the CPU. On build, any choice but
/// <c>cpu</c> also builds the GPU kernels (<see cref="ForBuild"/>), which serve every accelerator.
/// </summary>
internal static class DeviceOption
{
    /// <summary>The option of run and train.</summary>
    public static Option<string> Create() => Create(
        "Where kernels run: cpu (native code, the default), cuda (a CUDA GPU through ILGPU), ilgpu-cpu (the GPU kernels on ILGPU's CPU accelerator: slow, needs no GPU), auto (cuda when present, else cpu).");

    /// <summary>The option of build: the GPU kernels are the same for every accelerator, and building them needs no device.</summary>
    public static Option<string> ForBuild() => Create(
        "Also build the GPU kernels (<Model>.kernels.dll, for 'modelc run DIR --device', and in the .NET assembly or bundle, for the classes' device option): cuda, ilgpu-cpu and auto all build the same kernels, which ILGPU compiles for the device chosen at run; cpu (the default) builds native code only.");

    /// <summary>Whether <paramref name="choice"/> asks for the GPU target (it may still run on the CPU: <c>auto</c> without CUDA).</summary>
    public static bool WantsGpu(string? choice) => choice is "cuda" or "ilgpu-cpu" or "auto";

    private static Option<string> Create(string description) => new Option<string>("--device")
    {
        Description = description,
        DefaultValueFactory = _ => "cpu",
    }.AcceptOnlyFromAmong("cpu", "cuda", "ilgpu-cpu", "auto");

    /// <summary>The target and devices <paramref name="choice"/> names; dispose it after the instances that use it.</summary>
    /// <exception cref="GpuUnavailableException">CUDA was asked for and ILGPU sees no CUDA device.</exception>
    public static ExecutionDevice Open(string? choice) => choice switch
    {
        "cuda" => Gpu(GpuAcceleratorKind.Cuda),
        "ilgpu-cpu" => Gpu(GpuAcceleratorKind.IlgpuCpu),
        "auto" when GpuAccelerator.CudaPresent() => Gpu(GpuAcceleratorKind.Cuda),
        _ => new ExecutionDevice(CpuTarget.Host, null),
    };

    private static ExecutionDevice Gpu(GpuAcceleratorKind kind) => new(GpuTarget.Instance, new GpuDeviceFactory(GpuAccelerator.Open(kind)));
}

/// <summary>What a command compiles for and runs on: a target, and the devices its instances get (null: the CPU).</summary>
/// <param name="Target">The compile target.</param>
/// <param name="Devices">The GPU devices; null for the CPU.</param>
internal sealed record ExecutionDevice(ICompileTarget Target, GpuDeviceFactory? Devices) : IDisposable
{
    /// <summary>Instance options on these devices.</summary>
    public ModelOptions Options(int threads, ulong seed) => new(threads, seed, Devices);

    /// <summary>The device in words, for the commands' reports.</summary>
    public string Description => Devices?.Accelerator.Description ?? "cpu";

    /// <inheritdoc/>
    public void Dispose() => Devices?.Accelerator.Dispose();
}
