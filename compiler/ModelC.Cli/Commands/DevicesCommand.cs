using System.CommandLine;
using ModelC.Gpu.Runtime;

namespace ModelC.Cli.Commands;

/// <summary><c>modelc devices</c>: the accelerators ILGPU sees (CUDA GPUs, and its CPU accelerator), one a line.</summary>
internal static class DevicesCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("devices", "List the devices ILGPU sees: CUDA GPUs (for --device cuda) and its CPU accelerator (--device ilgpu-cpu).");
        command.SetAction(_ =>
        {
            foreach (var line in GpuAccelerator.ListDevices())
            {
                output.WriteLine(line);
            }
            if (!GpuAccelerator.CudaPresent())
            {
                output.WriteLine("no CUDA device: --device cuda is unavailable (auto uses the CPU)");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
