namespace ModelC.Runtime.Bindings;

/// <summary>
/// The device a model was asked to run on cannot run it here: no CUDA device is present, the app
/// does not reference the GPU runtime (<c>ModelC.Gpu.Runtime</c>), or the model was built without
/// GPU kernels. The message says which, and what to do instead.
/// </summary>
public class DeviceUnavailableException : Exception
{
    /// <summary>An exception with a message saying what is missing.</summary>
    public DeviceUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>An exception with no message.</summary>
    public DeviceUnavailableException()
    {
    }

    /// <summary>An exception with a message and the error behind it.</summary>
    public DeviceUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
