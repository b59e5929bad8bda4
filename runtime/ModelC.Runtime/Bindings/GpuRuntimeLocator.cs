namespace ModelC.Runtime.Bindings;

/// <summary>
/// Finds the <see cref="IGpuRuntime"/> of <c>ModelC.Gpu.Runtime</c> by name, once per process: an
/// app that never asks for a GPU device needs neither that assembly nor ILGPU.
/// </summary>
internal static class GpuRuntimeLocator
{
    /// <summary>The assembly the GPU runtime lives in.</summary>
    public const string AssemblyName = "ModelC.Gpu.Runtime";

    private static readonly Lazy<IGpuRuntime?> Found = new(() =>
        Type.GetType($"{AssemblyName}.GpuRuntime, {AssemblyName}", throwOnError: false) is { } type
            ? (IGpuRuntime?)Activator.CreateInstance(type)
            : null);

    /// <summary>The GPU runtime, or null where the app does not reference it.</summary>
    public static IGpuRuntime? Find() => Found.Value;
}
