using System.Globalization;
using System.Text;

namespace ModelC.Training;

/// <summary>
/// The loss curves of a run as an SVG picture: training and validation loss per epoch on a
/// logarithmic axis (losses shrink by orders of magnitude), with labelled ticks.
/// </summary>
public static class LossCurve
{
    private const double Width = 640, Height = 400, Left = 70, Right = 20, Top = 40, Bottom = 50;

    /// <summary>The picture of <paramref name="epochs"/>, titled <paramref name="title"/>.</summary>
    public static string Svg(string title, IReadOnlyList<EpochRecord> epochs)
    {
        var series = new List<(string Name, string Colour, List<(int Epoch, double Loss)> Points)>
        {
            ("train", "#1f77b4", [.. epochs.Where(e => Plottable(e.TrainLoss)).Select(e => (e.Epoch, e.TrainLoss))]),
            ("validation", "#d62728", [.. epochs.Where(e => e.ValidationLoss is { } v && Plottable(v)).Select(e => (e.Epoch, e.ValidationLoss!.Value))]),
        };
        var losses = series.SelectMany(s => s.Points.Select(p => p.Loss)).ToList();
        var low = Math.Floor(Math.Log10(losses.Count == 0 ? 1 : losses.Min()));
        var high = Math.Max(low + 1, Math.Ceiling(Math.Log10(losses.Count == 0 ? 10 : losses.Max())));
        var lastEpoch = Math.Max(2, epochs.Count == 0 ? 2 : epochs.Max(e => e.Epoch));
        double X(double epoch) => Left + (epoch - 1) / (lastEpoch - 1) * (Width - Left - Right);
        double Y(double loss) => Top + (high - Math.Log10(loss)) / (high - low) * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n"));
        for (var power = low; power <= high; power++)
        {
            var y = Y(Math.Pow(10, power));
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Width - Right}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">1e{power}</text>\n"));
        }
        foreach (var epoch in Ticks(lastEpoch))
        {
            svg.Append(Invariant($"<text x=\"{X(epoch):F1}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{epoch}</text>\n"));
        }
        svg.Append(Invariant($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\">epoch</text>\n"));
        svg.Append(Invariant($"<text x=\"16\" y=\"{(Top + Height - Bottom) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {(Top + Height - Bottom) / 2})\">loss</text>\n"));
        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#333\"/>\n"));
        var legend = 0;
        foreach (var (name, colour, points) in series.Where(s => s.Points.Count > 0))
        {
            var path = string.Join(" ", points.Select(p => Invariant($"{X(p.Epoch):F1},{Y(p.Loss):F1}")));
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{path}\"/>\n"));
            var ly = Top + 16 + 18 * legend++;
            svg.Append(Invariant($"<line x1=\"{Width - Right - 110}\" y1=\"{ly - 4}\" x2=\"{Width - Right - 90}\" y2=\"{ly - 4}\" stroke=\"{colour}\" stroke-width=\"2\"/>"));
            svg.Append(Invariant($"<text x=\"{Width - Right - 84}\" y=\"{ly}\">{name}</text>\n"));
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static bool Plottable(double loss) => loss > 0 && double.IsFinite(loss);

    // About ten evenly spaced epoch labels.
    private static IEnumerable<int> Ticks(int last)
    {
        var step = Math.Max(1, (int)Math.Ceiling(last / 10.0));
        for (var epoch = 1; epoch <= last; epoch += step)
        {
            yield return epoch;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
