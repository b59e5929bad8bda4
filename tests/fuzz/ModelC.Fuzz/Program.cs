using System.Text;
using ModelC.Data.Formats;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Manifest;
using SharpFuzz;

namespace ModelC.Fuzz;

/// <summary>
/// The fuzz targets: each feeds one input to a reader of untrusted files. A reader may refuse the
/// input only with its own format error; any other exception, a hang or a crash is a finding.
/// Under afl-fuzz the target runs in SharpFuzz's fork-server loop; otherwise it reads one input
/// from standard input, so a finding can be replayed with <c>dotnet ModelC.Fuzz.dll TARGET &lt; FILE</c>.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, Action<Stream>> Targets = new(StringComparer.Ordinal)
    {
        ["npy"] = stream => Refused<DataFormatException>(() => NpyFile.Read(stream, "input")),
        ["npz"] = stream => Refused<DataFormatException>(() => NpzFile.Read(Seekable(stream), "input")),
        ["csv"] = stream => Refused<DataFormatException>(() => CsvFile.Read(new StreamReader(stream, Encoding.UTF8), "input")),
        ["safetensors"] = stream => Refused<CheckpointFormatException>(() => SafetensorsFile.Read(stream, "input")),
        ["manifest"] = stream => Refused<InvalidDataException>(() => ManifestFile.Parse(new StreamReader(stream, Encoding.UTF8).ReadToEnd())),
    };

    private static int Main(string[] args)
    {
        if (args.Length != 1 || !Targets.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine($"usage: ModelC.Fuzz TARGET (one of: {string.Join(", ", Targets.Keys)}); the input comes from standard input or afl-fuzz");
            return 2;
        }
        Fuzzer.OutOfProcess.Run(target);
        return 0;
    }

    // The reader's own refusal is the expected outcome for most inputs.
    private static void Refused<TFormatError>(Action read)
        where TFormatError : Exception
    {
        try
        {
            read();
        }
        catch (TFormatError)
        {
        }
    }

    // AFL's input stream is a file already; a copy keeps the target independent of how it is handed over.
    private static MemoryStream Seekable(Stream stream)
    {
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }
}
