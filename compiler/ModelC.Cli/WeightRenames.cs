using ModelC.Runtime.Checkpoints;

namespace ModelC.Cli;

/// <summary>
/// Renames a checkpoint's tensors to the model's names (<c>--rename from=to</c>), so that a
/// PyTorch <c>state_dict</c> loads: a rule whose <c>from</c> ends with '.' renames a prefix
/// (<c>0.=logits.linear_0.</c> maps <c>0.weight</c> and <c>0.bias</c>), any other an exact
/// name; <c>@file</c> reads one rule per line (blank lines and lines starting with # skipped).
/// </summary>
internal sealed class WeightRenames
{
    private readonly List<(string From, string To)> _rules;

    private WeightRenames(List<(string From, string To)> rules) => _rules = rules;

    /// <summary>No renaming.</summary>
    public static WeightRenames None { get; } = new([]);

    /// <summary>Parses the rules; null (with <paramref name="problem"/> set) when one is malformed or its file unreadable.</summary>
    public static WeightRenames? Parse(IEnumerable<string> arguments, out string? problem)
    {
        problem = null;
        var rules = new List<(string, string)>();
        foreach (var argument in arguments)
        {
            IEnumerable<string> lines;
            try
            {
                lines = argument.StartsWith('@') ? File.ReadAllLines(argument[1..]).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')) : [argument];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = $"cannot read the rename file {argument[1..]}: {e.Message}";
                return null;
            }
            foreach (var line in lines)
            {
                var equals = line.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0 || equals == line.Length - 1)
                {
                    problem = $"--rename expects 'from=to', got '{line}'";
                    return null;
                }
                rules.Add((line[..equals], line[(equals + 1)..]));
            }
        }
        return new WeightRenames(rules);
    }

    /// <summary>The name a checkpoint's tensor takes: the first rule that matches, else its own.</summary>
    public string Rename(string name)
    {
        foreach (var (from, to) in _rules)
        {
            if (from.EndsWith('.') ? name.StartsWith(from, StringComparison.Ordinal) : name == from)
            {
                return to + name[from.Length..];
            }
        }
        return name;
    }

    /// <summary>The checkpoint with its tensors renamed.</summary>
    /// <exception cref="CheckpointFormatException">Two tensors would get the same name.</exception>
    public Checkpoint Apply(Checkpoint checkpoint, string path)
    {
        try
        {
            return checkpoint.Renamed(Rename);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointFormatException(path, e.Message);
        }
    }
}
