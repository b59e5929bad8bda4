using System.Globalization;
using ModelC.Data;
using ModelC.Data.Formats;
using ModelC.Data.Synthetic;
using ModelC.Runtime;
using ModelC.Runtime.Execution;

namespace ModelC.Training;

/// <summary>The data of a run: the training set, and the validation and test sets when there are any.</summary>
public sealed class TrainingData
{
    // The test set of a synthetic task is drawn with a seed the training data never uses.
    private const ulong TestSeedSalt = 0x7E57_5E7D_0000_0001;

    /// <summary>The sets of a run; empty validation or test sets count as none.</summary>
    /// <param name="train">The samples trained on.</param>
    /// <param name="validation">The samples measured after each epoch, or null.</param>
    /// <param name="test">The samples measured once at the end, or null.</param>
    /// <param name="description">What the data is, for messages and reports.</param>
    public TrainingData(Dataset train, Dataset? validation, Dataset? test, string description)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(description);
        Train = train;
        Validation = validation is { Count: > 0 } ? validation : null;
        Test = test is { Count: > 0 } ? test : null;
        Description = description;
    }

    /// <summary>The samples trained on.</summary>
    public Dataset Train { get; }

    /// <summary>The samples measured after each epoch, or null.</summary>
    public Dataset? Validation { get; }

    /// <summary>The samples measured once at the end, or null.</summary>
    public Dataset? Test { get; }

    /// <summary>What the data is, for messages and reports (<c>synthetic spirals (600 samples, 200 test)</c>).</summary>
    public string Description { get; }

    /// <summary>
    /// Holds out <paramref name="validationFraction"/> of <paramref name="all"/> for validation,
    /// chosen with <paramref name="seed"/> (each part keeps the samples' order).
    /// </summary>
    public static TrainingData Split(Dataset all, double validationFraction, ulong seed, Dataset? test, string description)
    {
        ArgumentNullException.ThrowIfNull(all);
        var split = all.Split(validationFraction, seed);
        return new TrainingData(split.Train, split.Validation, test, description);
    }

    /// <summary>
    /// Reads <paramref name="source"/>: a file (<c>.npz</c>, <c>.npy</c>, <c>.safetensors</c>,
    /// <c>.csv</c>) whose arrays are named after the model's inputs, or a synthetic set such as
    /// <c>poisson:n=64</c> (<see cref="SyntheticData"/>). A validation set of
    /// <paramref name="validationFraction"/> is held out (chosen with <paramref name="seed"/>); a
    /// synthetic task also gets a fresh test set, unless <paramref name="testFile"/> gives one.
    /// </summary>
    /// <param name="source">The data file or synthetic set.</param>
    /// <param name="testFile">A test data file, or null.</param>
    /// <param name="samples">Samples of a synthetic set, validation included.</param>
    /// <param name="testSamples">Samples of a synthetic test set.</param>
    /// <param name="validationFraction">The share held out for validation, in [0, 1).</param>
    /// <param name="seed">Seeds the synthetic data and the validation split.</param>
    /// <exception cref="FormatException">The source is neither a file nor a synthetic set.</exception>
    /// <exception cref="DataFormatException">A file is malformed.</exception>
    public static TrainingData Load(string source, string? testFile, int samples, int testSamples, double validationFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (File.Exists(source))
        {
            var all = Read(source);
            return Split(all, validationFraction, seed, testFile is null ? null : Read(testFile), $"{Path.GetFileName(source)} ({all.Count} samples)");
        }
        if (source.Contains('/', StringComparison.Ordinal) || source.Contains('\\', StringComparison.Ordinal) || Path.HasExtension(source.Split(':')[0]))
        {
            throw new FormatException($"data file not found: {source}");
        }
        var synthetic = SyntheticData.Create(source, samples, seed);
        var test = testFile is null ? SyntheticData.Create(source, testSamples, seed ^ TestSeedSalt) : Read(testFile);
        return Split(synthetic, validationFraction, seed, test, $"synthetic {source} ({samples} samples, {test.Count} test)");
    }

    private static Dataset Read(string file)
    {
        var data = new Dataset(DataFile.Load(file).Select(a => (a.Key, a.Value)));
        // A NaN or infinity in the data makes the loss NaN, which would read as a learning rate
        // too large: it is the file's problem, and said so with the sample.
        foreach (var name in data.Names.Where(n => data[n].Type == ElementType.F32))
        {
            var values = data[name].Floats;
            if (FiniteValues.IndexOfNonFinite(values) is var index and >= 0)
            {
                throw new DataFormatException(file, string.Create(CultureInfo.InvariantCulture,
                    $"array '{name}', sample {index / Math.Max(1, data.SampleSize(name))} (from 0) holds {values[index]}; training data must be finite"));
            }
        }
        return data;
    }
}
