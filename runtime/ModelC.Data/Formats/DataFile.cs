using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Data;

namespace ModelC.Data.Formats;

/// <summary>Loads any data file this library reads, choosing the reader by extension.</summary>
public static class DataFile
{
    /// <summary>
    /// The named arrays in the file at <paramref name="path"/>: for <c>.npy</c> one array named
    /// after the file (<c>x_train.npy</c> gives <c>x_train</c>); for <c>.npz</c> and
    /// <c>.safetensors</c> every array by its name; for <c>.csv</c> every column by its header
    /// name, float32 [rows] each, except that columns <c>x[0]</c>, <c>x[1]</c>, … form one array
    /// <c>x</c> [rows, k] (<see cref="CsvTable.ToArrays"/>).
    /// </summary>
    /// <exception cref="DataFormatException">The path is not a regular file (a device, FIFO or folder), the extension is unknown, or the file is not valid.</exception>
    /// <exception cref="CheckpointFormatException">A .safetensors file is not valid.</exception>
    public static IReadOnlyDictionary<string, DataArray> Load(string path)
    {
        // Before the extension: a device's name says nothing about what reading it does.
        DataPath.RequireRegularFile(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".npy" => new Dictionary<string, DataArray> { [Path.GetFileNameWithoutExtension(path)] = NpyFile.Read(path) },
            ".npz" => NpzFile.Read(path),
            ".safetensors" => SafetensorsFile.Read(path).Tensors,
            ".csv" => CsvFile.Read(path).ToArrays(),
            _ => throw new DataFormatException(path,
                $"unknown file type '{extension}' (this loader reads .npy, .npz, .safetensors and .csv)"),
        };
    }
}
