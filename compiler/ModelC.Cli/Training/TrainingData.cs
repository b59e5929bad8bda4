using ModelC.Data;
using ModelC.Data.Formats;
using ModelC.Data.Synthetic;

namespace ModelC.Cli.Training;

/// <summary>The data of a run: training and validation sets, and a held-out test set when there is one.</summary>
internal sealed record TrainingData(Dataset Train, Dataset Validation, Dataset? Test, string Description)
{
    // The test set of a synthetic task is drawn with a seed the training data never uses.
    private const ulong TestSeedSalt = 0x7E57_5E7D_0000_0001;

    /// <summary>
    /// Reads <paramref name="source"/>: a file (<c>.npz</c>, <c>.npy</c>, <c>.safetensors</c>,
    /// <c>.csv</c>) whose arrays are named after the model's inputs, or a synthetic set such as
    /// <c>poisson:n=64</c>. A validation set of <paramref name="validationFraction"/> is held out
    /// (chosen with <paramref name="seed"/>); a synthetic task also gets a fresh test set.
    /// </summary>
    /// <exception cref="FormatException">The source is neither a file nor a synthetic set.</exception>
    public static TrainingData Load(string source, string? testFile, int samples, int testSamples, double validationFraction, ulong seed)
    {
        Dataset all;
        Dataset? test;
        string description;
        if (File.Exists(source))
        {
            all = new Dataset(DataFile.Load(source).Select(a => (a.Key, a.Value)));
            test = testFile is null ? null : new Dataset(DataFile.Load(testFile).Select(a => (a.Key, a.Value)));
            description = $"{Path.GetFileName(source)} ({all.Count} samples)";
        }
        else if (source.Contains('/', StringComparison.Ordinal) || source.Contains('\\', StringComparison.Ordinal) || Path.HasExtension(source.Split(':')[0]))
        {
            throw new FormatException($"data file not found: {source}");
        }
        else
        {
            all = SyntheticData.Create(source, samples, seed);
            test = testFile is null ? SyntheticData.Create(source, testSamples, seed ^ TestSeedSalt) : new Dataset(DataFile.Load(testFile).Select(a => (a.Key, a.Value)));
            description = $"synthetic {source} ({samples} samples, {test.Count} test)";
        }
        var split = all.Split(validationFraction, seed);
        return new TrainingData(split.Train, split.Validation, test, description);
    }
}
