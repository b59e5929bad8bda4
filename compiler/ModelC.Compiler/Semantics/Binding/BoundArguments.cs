using System.Collections.Immutable;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Binding;

/// <summary>One configuration argument after binding: the value and where it was written.</summary>
/// <remarks><see cref="Spread"/> marks a variadic parameter's list, written as separate arguments.</remarks>
public sealed record BoundArgument(string Name, Value Value, Location? Location, bool IsExplicit, bool Spread = false);

/// <summary>
/// The configuration arguments of a call, by parameter name, in declaration order. Built-ins
/// get every parameter (defaults filled in); user blocks get what the call wrote.
/// </summary>
public sealed record BoundArguments(ImmutableArray<BoundArgument> Items)
{
    /// <summary>No arguments.</summary>
    public static readonly BoundArguments Empty = new([]);

    /// <summary>The argument named <paramref name="name"/>, or null.</summary>
    public BoundArgument? Find(string name) => Items.FirstOrDefault(i => i.Name == name);

    /// <summary>The value of a bound argument; throws if absent (a binder bug).</summary>
    public Value this[string name] => Find(name)?.Value ?? throw new KeyNotFoundException(name);

    /// <summary>An int argument.</summary>
    public int Int(string name) => (int)((IntValue)this[name]).Value;

    /// <summary>An int argument, or <paramref name="fallback"/> when it is not bound (yet).</summary>
    public int IntOr(string name, int fallback) => Find(name)?.Value is IntValue i ? (int)i.Value : fallback;

    /// <summary>A float argument (ints are widened when bound).</summary>
    public double Float(string name) => ((FloatValue)this[name]).Value;

    /// <summary>A bool argument.</summary>
    public bool Bool(string name) => ((BoolValue)this[name]).Value;

    /// <summary>A list-of-int argument.</summary>
    public int[] Ints(string name) => [.. ((ListValue)this[name]).Items.Select(i => (int)((IntValue)i).Value)];

    /// <summary>The location of an argument as written, if it was.</summary>
    public Location? LocationOf(string name) => Find(name)?.Location;

    /// <summary>This set with one more (or a replaced) argument.</summary>
    public BoundArguments With(BoundArgument argument) =>
        new(Find(argument.Name) is { } old ? Items.Replace(old, argument) : Items.Add(argument));

    /// <summary>
    /// The explicit arguments as a call would write them: positionally while they follow the
    /// declaration order without gaps, by name after the first gap: <c>(16, groups = 3)</c>.
    /// </summary>
    public string Display
    {
        get
        {
            var parts = new List<string>();
            var positional = true;
            foreach (var item in Items.Where(i => i.Value is not TensorValue))
            {
                positional &= item.IsExplicit;
                if (item.IsExplicit)
                {
                    var shown = item.Spread && item.Value is ListValue list && positional
                        ? string.Join(", ", list.Items.Select(i => i.Display))
                        : item.Value.Display;
                    parts.Add(positional ? shown : $"{item.Name} = {shown}");
                }
            }
            return parts.Count == 0 ? "" : $"({string.Join(", ", parts)})";
        }
    }
}
