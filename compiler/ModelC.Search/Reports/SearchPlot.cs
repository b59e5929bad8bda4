using System.Globalization;
using System.Net;
using System.Text;
using ModelC.Search.Strategies;

namespace ModelC.Search.Reports;

/// <summary>
/// Best validation accuracy so far against candidates evaluated, one line per search, as an SVG
/// picture. A search that began with seed architectures gets a second, dashed line: the best of
/// the candidates the search itself proposed (samples and mutants), the seeds left out.
/// </summary>
public static class SearchPlot
{
    private const double Width = 760, Height = 400, Left = 60, Right = 250, Top = 40, Bottom = 50;
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

    /// <summary>The picture of <paramref name="searches"/>, titled <paramref name="title"/>.</summary>
    public static string Svg(string title, IReadOnlyList<(string Name, IReadOnlyList<SearchRecord> Records)> searches)
    {
        ArgumentNullException.ThrowIfNull(searches);
        var curves = searches.SelectMany((s, i) => Curves(s.Name, s.Records, i)).ToArray();
        var all = curves.SelectMany(c => c.Points.Select(p => p.Accuracy)).DefaultIfEmpty(0).ToArray();
        var low = Math.Floor(all.Min() * 10) / 10;
        var high = Math.Max(low + 0.1, Math.Ceiling(all.Max() * 10) / 10);
        var last = Math.Max(2, curves.SelectMany(c => c.Points.Select(p => p.Count)).DefaultIfEmpty(2).Max());
        double X(double count) => Left + (count - 1) / (last - 1) * (Width - Left - Right);
        double Y(double accuracy) => Top + (high - accuracy) / (high - low) * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{(Width - Right + Left) / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{WebUtility.HtmlEncode(title)}</text>\n"));
        for (var tick = low; tick <= high + 1e-9; tick += 0.1)
        {
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Y(tick):F1}\" x2=\"{Width - Right}\" y2=\"{Y(tick):F1}\" stroke=\"#ddd\"/>"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{Y(tick) + 4:F1}\" text-anchor=\"end\">{tick:P0}</text>\n"));
        }
        var step = Math.Max(1, (int)Math.Pow(10, Math.Floor(Math.Log10(last))) / (last / Math.Pow(10, Math.Floor(Math.Log10(last))) < 3 ? 2 : 1));
        for (var tick = step; tick <= last; tick += step)
        {
            svg.Append(Invariant($"<text x=\"{X(tick):F1}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{tick}</text>\n"));
        }
        svg.Append(Invariant($"<text x=\"{(Width - Right + Left) / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\">candidates evaluated</text>\n"));
        svg.Append(Invariant($"<text x=\"16\" y=\"{(Height - Bottom + Top) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {(Height - Bottom + Top) / 2})\">best validation accuracy</text>\n"));
        foreach (var ((name, points, search, dashed), i) in curves.Select((c, i) => (c, i)))
        {
            var colour = Colours[search % Colours.Length];
            // A step curve: the best holds until a better candidate comes.
            var path = string.Join(" ", points.Select((p, k) => k == 0 ? Invariant($"M{X(p.Count):F1},{Y(p.Accuracy):F1}") : Invariant($"H{X(p.Count):F1} V{Y(p.Accuracy):F1}")));
            svg.Append(Invariant($"<path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")}/>\n"));
            svg.Append(Invariant($"<text x=\"{Width - Right + 10}\" y=\"{Top + 16 + 18 * i}\" fill=\"{colour}\">{WebUtility.HtmlEncode(name)}</text>\n"));
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>
    /// (candidates evaluated, best validation accuracy among them) at each candidate; with
    /// <paramref name="seedsExcluded"/>, the best among the samples and mutants only, from the first of them on.
    /// </summary>
    public static IReadOnlyList<(int Count, double Accuracy)> BestSoFar(IReadOnlyList<SearchRecord> records, bool seedsExcluded = false)
    {
        ArgumentNullException.ThrowIfNull(records);
        var best = double.NegativeInfinity;
        return [.. records.Select((r, i) => (Record: r, Count: i + 1))
            .Where(c => !seedsExcluded || c.Record.SeedArchitecture is null)
            .Select(c => (c.Count, best = Math.Max(best, c.Record.ValidationAccuracy)))];
    }

    // The search's line, and the dashed line of its own candidates where it began with seeds; both in the search's colour.
    private static IEnumerable<(string Name, IReadOnlyList<(int Count, double Accuracy)> Points, int Search, bool Dashed)> Curves(string name, IReadOnlyList<SearchRecord> records, int search)
    {
        yield return (name, BestSoFar(records), search, false);
        if (records.Any(r => r.SeedArchitecture is not null))
        {
            yield return ($"{name}, seeds excluded", BestSoFar(records, seedsExcluded: true), search, true);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
