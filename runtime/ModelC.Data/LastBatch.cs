namespace ModelC.Data;

/// <summary>What <see cref="Dataset.Batches"/> does with the samples left over when the batch size does not divide the sample count.</summary>
public enum LastBatch
{
    /// <summary>Leave them out of this epoch: every batch is full (a shuffled order leaves out different samples each epoch).</summary>
    Drop,

    /// <summary>Yield them as a final, smaller batch: every sample is seen once per epoch.</summary>
    Keep,
}
