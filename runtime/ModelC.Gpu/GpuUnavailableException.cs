using ModelC.Runtime.Bindings;

namespace ModelC.Gpu.Runtime;

/// <summary>The GPU asked for is not present on this machine.</summary>
public sealed class GpuUnavailableException : DeviceUnavailableException
{
    /// <summary>An exception with a message saying what is missing.</summary>
    public GpuUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>An exception with no message.</summary>
    public GpuUnavailableException()
    {
    }

    /// <summary>An exception with a message and the ILGPU error behind it.</summary>
    public GpuUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
