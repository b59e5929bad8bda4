using System.Globalization;
using System.Text;
using ModelC.Search.Strategies;

namespace ModelC.Search.Reports;

/// <summary>The distinct architectures of a search, best validation accuracy first.</summary>
public static class Leaderboard
{
    /// <summary>One record per architecture (its first evaluation), by validation accuracy, then by index.</summary>
    public static IReadOnlyList<SearchRecord> Of(IEnumerable<SearchRecord> records) =>
        [.. records.Where(r => !r.Repeat).OrderByDescending(r => r.ValidationAccuracy).ThenBy(r => r.Index)];

    /// <summary>The first <paramref name="rows"/> entries as a text table.</summary>
    public static string Table(IReadOnlyList<SearchRecord> board, int rows)
    {
        ArgumentNullException.ThrowIfNull(board);
        var text = new StringBuilder();
        text.AppendLine("rank  candidate  hash          parameters  validation  test     train s");
        foreach (var (r, rank) in board.Take(rows).Select((r, i) => (r, i + 1)))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{rank,4}  {r.Index,9}  {r.Hash}  {r.Parameters,10:N0}  {r.ValidationAccuracy,10:P1}  {r.TestAccuracy,7:P1}  {r.TrainSeconds,7:F1}{(r.Failure is null ? "" : "  (diverged)")}"));
        }
        return text.ToString();
    }
}
