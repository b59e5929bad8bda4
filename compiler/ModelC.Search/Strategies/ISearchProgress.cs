namespace ModelC.Search.Strategies;

/// <summary>Told as a search goes (from the thread that runs it).</summary>
public interface ISearchProgress
{
    /// <summary>A candidate was evaluated (or replayed from a resumed run's records).</summary>
    /// <param name="record">It.</param>
    /// <param name="best">The best so far by validation accuracy.</param>
    /// <param name="elapsed">Wall-clock time of this run of the search.</param>
    /// <param name="remaining">The time the budget leaves, or the estimate for the candidates left; null when unknown.</param>
    void CandidateFinished(SearchRecord record, SearchRecord best, TimeSpan elapsed, TimeSpan? remaining);
}
