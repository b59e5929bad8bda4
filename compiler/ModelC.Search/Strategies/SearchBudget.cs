using System.Globalization;

namespace ModelC.Search.Strategies;

/// <summary><c>--budget</c>: a wall-clock time (<c>90s</c>, <c>20m</c>, <c>2h</c>) or a number of candidates (<c>500</c>).</summary>
public static class SearchBudget
{
    /// <summary>The time or the count; false (with the reason) when <paramref name="text"/> is neither.</summary>
    /// <param name="text">What was given.</param>
    /// <param name="time">The time budget, or null.</param>
    /// <param name="candidates">The candidate budget, or null.</param>
    /// <param name="problem">Why the text is neither.</param>
    public static bool TryParse(string text, out TimeSpan? time, out int? candidates, out string problem)
    {
        time = null;
        candidates = null;
        problem = "";
        ArgumentNullException.ThrowIfNull(text);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1)
        {
            candidates = count;
            return true;
        }
        var unit = text.Length > 1 ? text[^1] : ' ';
        if (unit is 's' or 'm' or 'h' && double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount > 0 && amount <= 365 * 24 * 60)
        {
            time = unit switch { 's' => TimeSpan.FromSeconds(amount), 'm' => TimeSpan.FromMinutes(amount), _ => TimeSpan.FromHours(amount) };
            return true;
        }
        problem = $"--budget must be a time such as 90s, 20m or 2h, or a number of candidates, got '{text}'";
        return false;
    }
}
