using System.Diagnostics;
using System.Globalization;

namespace ModelC.Cli.Progress;

/// <summary>
/// Progress of one epoch on a text writer: a bar redrawn in place on a terminal, or a line per
/// tenth of the epoch when the output is a file or a pipe. Shows the running loss, the speed
/// and the time left for the epoch and for the run.
/// </summary>
internal sealed class ProgressBar(TextWriter writer, bool interactive)
{
    private const int Width = 24;
    private const string ClearToEndOfLine = "\u001b[K";
    private readonly Stopwatch _clock = new();
    private string _label = "";
    private int _total;
    private int _lastDecile;
    private TimeSpan _lastDraw;

    /// <summary>Starts an epoch of <paramref name="steps"/> steps.</summary>
    public void Start(string label, int steps)
    {
        _label = label;
        _total = Math.Max(1, steps);
        _lastDecile = 0;
        _lastDraw = TimeSpan.Zero;
        _clock.Restart();
    }

    /// <summary>Reports that <paramref name="done"/> steps are finished; <paramref name="remainingEpochs"/> follow this one.</summary>
    public void Report(int done, double meanLoss, int remainingEpochs)
    {
        var elapsed = _clock.Elapsed;
        var perStep = elapsed / Math.Max(1, done);
        var epochLeft = perStep * (_total - done);
        var runLeft = epochLeft + perStep * _total * remainingEpochs;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{_label} [{new string('#', Width * done / _total).PadRight(Width, '.')}] {done}/{_total} loss {meanLoss:G5} {perStep.TotalMilliseconds:F0} ms/step ETA {Format(epochLeft)} (run {Format(runLeft)})");
        if (interactive)
        {
            if (done == _total || elapsed - _lastDraw > TimeSpan.FromMilliseconds(100))
            {
                writer.Write("\r" + line + ClearToEndOfLine);
                _lastDraw = elapsed;
            }
            return;
        }
        var decile = 10 * done / _total;
        if (decile > _lastDecile && done < _total)
        {
            _lastDecile = decile;
            writer.WriteLine(line);
        }
    }

    /// <summary>Ends the epoch's bar (the summary line follows).</summary>
    public void Finish()
    {
        if (interactive)
        {
            writer.Write("\r" + ClearToEndOfLine);
        }
    }

    /// <summary>A duration as <c>1h02m</c>, <c>3m07s</c> or <c>12s</c>.</summary>
    public static string Format(TimeSpan time) =>
        time.TotalHours >= 1 ? $"{(int)time.TotalHours}h{time.Minutes:D2}m"
        : time.TotalMinutes >= 1 ? $"{(int)time.TotalMinutes}m{time.Seconds:D2}s"
        : string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:F0}s");
}
