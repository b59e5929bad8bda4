using ModelC.Runtime.Files;

namespace ModelC.Data.Formats;

/// <summary>What every reader of a data file checks about its path before opening it.</summary>
internal static class DataPath
{
    /// <summary>Refuses a path that is not a regular file: a device never ends and a FIFO blocks the open.</summary>
    /// <exception cref="DataFormatException">The path is a device, FIFO, socket or folder.</exception>
    public static void RequireRegularFile(string path)
    {
        if (RegularFile.Problem(path) is { } problem)
        {
            throw new DataFormatException(path, problem);
        }
    }
}
