using System.Collections.Immutable;
using ModelC.Data;
using ModelC.Runtime;
using ModelC.Runtime.Data;
using ModelC.Search.Programs;
using ModelC.Training;

namespace ModelC.Search.Evaluation;

/// <summary>
/// A classification task to search on: its data (training, validation for the search's fitness,
/// test for the report) and the signature candidates are built for.
/// </summary>
public sealed class SearchTask
{
    // The digits' split is fixed, whatever the search's seed, so that every search is measured on the same test set.
    private const ulong DigitsSplitSeed = 1_797;

    /// <summary>A task of <paramref name="data"/>, whose input and label arrays are named in <paramref name="signature"/>.</summary>
    public SearchTask(string name, TaskSignature signature, TrainingData data)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Signature = signature ?? throw new ArgumentNullException(nameof(signature));
        Data = data ?? throw new ArgumentNullException(nameof(data));
    }

    /// <summary>What it is called in reports: <c>digits</c>, a file name, a synthetic set.</summary>
    public string Name { get; }

    /// <summary>The input, its shape, the labels and the classes.</summary>
    public TaskSignature Signature { get; }

    /// <summary>The data.</summary>
    public TrainingData Data { get; }

    /// <summary>The 8×8 digits: 360 test samples, and a tenth of the other 1,437 for validation, split the same way every time.</summary>
    public static SearchTask Digits()
    {
        var (rest, test) = DigitsDataSet.Load().Split(DigitsDataSet.TestCount, DigitsSplitSeed);
        var data = TrainingData.Split(rest, 0.1, DigitsSplitSeed, test, $"digits ({rest.Count} samples, {test.Count} test)");
        return new SearchTask("digits", new TaskSignature("x", [1, 8, 8], "y", 10), data);
    }

    /// <summary>
    /// A data file or a synthetic set, read as <c>modelc train --data</c> reads it; the float
    /// array <paramref name="input"/> is the input and the integer array <paramref name="label"/> the class.
    /// </summary>
    /// <exception cref="InvalidOperationException">The arrays are missing or of the wrong type or shape.</exception>
    public static SearchTask Load(string source, string? testFile, int samples, int testSamples, ulong seed, string input = "x", string label = "y")
    {
        ArgumentNullException.ThrowIfNull(source);
        var data = TrainingData.Load(source, testFile, samples, testSamples, 0.1, seed);
        var train = data.Train;
        if (!train.Contains(input) || train[input].Type != ElementType.F32)
        {
            throw new InvalidOperationException($"{source}: no float array '{input}' to search on (arrays: {string.Join(", ", train.Names)})");
        }
        if (!train.Contains(label) || train[label].Type != ElementType.I32 || train[label].Shape.Length != 1)
        {
            throw new InvalidOperationException($"{source}: no integer array '{label}' of one class per sample");
        }
        var classes = new[] { data.Train, data.Validation, data.Test }.Where(d => d is not null).SelectMany(d => d![label].Ints).DefaultIfEmpty(0).Max() + 1;
        ImmutableArray<int> dims = [.. train[input].Shape.Skip(1)];
        var signature = new TaskSignature(input, dims, label, classes);
        _ = signature.SearchInput;
        return new SearchTask(Path.GetFileName(source.Split(':')[0]), signature, data);
    }
}
