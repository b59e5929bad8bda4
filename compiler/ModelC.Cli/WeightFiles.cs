using ModelC.Runtime.Checkpoints;

namespace ModelC.Cli;

/// <summary>Reads weight files, refusing PyTorch's own format with a message that says how to convert it.</summary>
internal static class WeightFiles
{
    /// <summary>The safetensors checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="CheckpointFormatException">The file is a PyTorch pickle, or not valid safetensors.</exception>
    public static Checkpoint Read(string path)
    {
        if (IsTorchPickle(path))
        {
            throw new CheckpointFormatException(path,
                "is a PyTorch pickle (torch.save), which ModelC does not read; convert it to safetensors first: "
                + "python3 -c \"import torch, safetensors.torch as s; s.save_file(torch.load('IN.pt'), 'OUT.safetensors')\"");
        }
        return SafetensorsFile.Read(path);
    }

    // torch.save writes a zip archive (PK\3\4) since PyTorch 1.6, a pickle (protocol 2: 0x80 0x02) before.
    private static bool IsTorchPickle(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        try
        {
            using var stream = File.OpenRead(path);
            var read = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
            return (read >= 4 && magic.SequenceEqual("PK\u0003\u0004"u8)) || (read >= 2 && magic[0] == 0x80 && magic[1] <= 5);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // SafetensorsFile.Read reports the unreadable file in its own words.
            return false;
        }
    }
}
