namespace ModelC.Search.Strategies;

/// <summary>How the next candidates are chosen.</summary>
public enum SearchStrategy
{
    /// <summary>Regularized (aging) evolution, Real et al. 2019, as einspace runs it: a population filled by samples, then each child a mutant of the best of a tournament; the oldest dies.</summary>
    Evolution,

    /// <summary>Every candidate a fresh sample: the baseline.</summary>
    Random,
}
