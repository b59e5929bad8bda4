using System.Globalization;
using System.IO.Compression;
using ModelC.Data;
using ModelC.Runtime.Data;

namespace ModelC.Search.Evaluation;

/// <summary>
/// The 8×8 handwritten digits (1,797 samples, 10 classes) that scikit-learn ships, embedded in
/// this assembly (Data/digits.csv.gz, BSD-3-Clause): <c>x</c> f32[N, 1, 8, 8] with pixels scaled
/// from 0…16 to 0…1, and <c>y</c> i32[N].
/// </summary>
public static class DigitsDataSet
{
    /// <summary>Samples in the set.</summary>
    public const int Count = 1_797;

    /// <summary>Samples held out as the test set by <see cref="SearchTask.Digits"/>: a fifth.</summary>
    public const int TestCount = 360;

    /// <summary>Reads every sample.</summary>
    public static Dataset Load()
    {
        using var stream = typeof(DigitsDataSet).Assembly.GetManifestResourceStream("ModelC.Search.digits.csv.gz")
            ?? throw new InvalidOperationException("the digits data is missing from ModelC.Search");
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
        var pixels = new float[Count * 64];
        var labels = new int[Count];
        var n = 0;
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var fields = line.Split(',');
            for (var i = 0; i < 64; i++)
            {
                pixels[n * 64 + i] = float.Parse(fields[i], CultureInfo.InvariantCulture) / 16f;
            }
            labels[n++] = int.Parse(fields[64], CultureInfo.InvariantCulture);
        }
        if (n != Count)
        {
            throw new InvalidOperationException($"the digits data holds {n} samples, expected {Count}");
        }
        return new Dataset(("x", DataArray.Of(pixels, Count, 1, 8, 8)), ("y", DataArray.Of(labels, Count)));
    }
}
