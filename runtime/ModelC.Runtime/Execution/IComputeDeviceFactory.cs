using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Execution;

/// <summary>
/// Creates devices of a kind this runtime does not build in (a GPU, whose driver library the CPU
/// path should not depend on): <see cref="ModelOptions.Device"/> passes one to every
/// <see cref="ModelInstance"/>, and each instance gets a device of its own.
/// </summary>
public interface IComputeDeviceFactory
{
    /// <summary>The kind of the devices it creates: the manifests they run.</summary>
    DeviceKind Kind { get; }

    /// <summary>A new device for one instance, with <paramref name="scratchBytes"/> of scratch memory per worker.</summary>
    IComputeDevice Create(long scratchBytes);
}
