namespace ModelC.Data.Synthetic;

/// <summary>The sequence-to-sequence tasks of <see cref="SequenceDataSet"/>: each maps a token sequence to a target of the same length.</summary>
public enum SequenceTask
{
    /// <summary>The target is the sequence itself.</summary>
    Copy,

    /// <summary>The target is the sequence backwards.</summary>
    Reverse,

    /// <summary>The target is the tokens in ascending order.</summary>
    Sort,
}
