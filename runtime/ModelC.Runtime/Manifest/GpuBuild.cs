namespace ModelC.Runtime.Manifest;

/// <summary>
/// The same model built for ILGPU accelerators (<c>modelc build --device</c>), recorded in the
/// manifest of the CPU build (<see cref="ModelManifest.Gpu"/>): a .NET assembly of GPU kernels beside
/// the CPU library, which ILGPU compiles for the accelerator chosen when the model is run.
/// </summary>
/// <param name="Library">The file name of the kernel assembly (<c>NAME.kernels.dll</c>), in the folder of the manifest.</param>
/// <param name="Manifest">Its own complete manifest (device <see cref="DeviceKind.Gpu"/>), with the assembly's SHA-256.</param>
public sealed record GpuBuild(string Library, ModelManifest Manifest);
