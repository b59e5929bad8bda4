using System.Collections.Immutable;
using ModelC.Compiler.Semantics.Builtins;
using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Semantics.Symbols;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Binding;

/// <summary>An argument after evaluation: its name if written <c>name = value</c>, the value and where it was.</summary>
internal sealed record EvaluatedArgument(string? Name, Value Value, Location Location, Location? NameLocation = null);

/// <summary>The result of binding: configuration by parameter, and the tensors the call supplied as inputs.</summary>
internal sealed record Binding(BoundArguments Configuration, ImmutableArray<TensorValue> Inputs);

/// <summary>
/// Matches call arguments to parameters. Tensors are inputs and everything else is
/// configuration, so <c>conv(16)(x)</c>, <c>conv(x, 16)</c> and <c>conv(16, x)</c> agree:
/// positional tensors fill the inputs in order, other positional values fill the
/// configuration parameters in order, and <c>name = value</c> names either kind.
/// </summary>
internal sealed class ArgumentBinder(ElaborationContext context)
{
    /// <summary>Binds the arguments, or returns null after reporting (or when an argument already failed).</summary>
    public Binding? Bind(ICallable callable, IReadOnlyList<EvaluatedArgument> arguments, Location site)
    {
        var parameters = callable.Parameters;
        var configuration = parameters.Where(p => !p.IsInput).ToList();
        var inputNames = parameters.Where(p => p.IsInput).Select(p => p.Name).ToList();
        var bound = new List<BoundArgument>();
        var positionalTensors = new List<EvaluatedArgument>();
        var namedTensors = new Dictionary<string, TensorValue>();
        // Only blocks and layers take tensor inputs; for functions, splitters and settings a
        // tensor is an ordinary argument (float(ids) converts ids).
        var takesInputs = callable is Symbols.BlockSymbol or LayerBuiltin;
        var ok = true;
        var sawNamed = false;
        var next = 0;
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument.Value is ErrorValue)
            {
                ok = false;
                continue;
            }
            if (argument.Name is null)
            {
                if (sawNamed)
                {
                    ok = Fail(ValueDiagnostics.PositionalAfterNamed(argument.Location));
                    continue;
                }
                if (argument.Value is TensorValue && takesInputs)
                {
                    positionalTensors.Add(argument);
                    continue;
                }
                while (next < configuration.Count && bound.Any(b => b.Name == configuration[next].Name))
                {
                    next++;
                }
                if (next >= configuration.Count)
                {
                    ok = Fail(ValueDiagnostics.TooManyArguments(argument.Location, callable.Name, configuration.Count, Signature(callable)));
                    break;
                }
                var parameter = configuration[next++];
                if (parameter.IsVariadic)
                {
                    var rest = arguments.Skip(i).TakeWhile(a => a.Name is null && !(takesInputs && a.Value is TensorValue)).ToList();
                    var items = rest.Count == 1 && rest[0].Value is ListValue list ? list.Items : [.. rest.Select(a => a.Value)];
                    ok &= Add(callable, parameter, new ListValue(items), argument.Location, bound);
                    i += rest.Count - 1;
                }
                else
                {
                    ok &= Add(callable, parameter, argument.Value, argument.Location, bound);
                }
                continue;
            }
            sawNamed = true;
            var target = parameters.FirstOrDefault(p => p.Name == argument.Name);
            var nameLocation = argument.NameLocation ?? argument.Location;
            if (target is null)
            {
                ok = Fail(ValueDiagnostics.UnknownArgument(nameLocation, callable.Name, argument.Name,
                    Suggestions.Closest(argument.Name, parameters.Select(p => p.Name))));
            }
            else if (bound.Any(b => b.Name == argument.Name) || namedTensors.ContainsKey(argument.Name))
            {
                ok = Fail(ValueDiagnostics.DuplicateArgument(nameLocation, argument.Name));
            }
            else if (target.IsInput)
            {
                if (argument.Value is TensorValue tensor)
                {
                    namedTensors[target.Name] = tensor;
                }
                else
                {
                    ok = Fail(ValueDiagnostics.ArgumentType(argument.Location, target.Name, callable.Name, target.Type, argument.Value));
                }
            }
            else
            {
                var value = target.IsVariadic && argument.Value is not ListValue ? new ListValue([argument.Value]) : argument.Value;
                ok &= Add(callable, target, value, argument.Location, bound);
            }
        }
        if (!ok)
        {
            return null;
        }
        var inputs = OrderInputs(inputNames, [.. positionalTensors.Select(a => (TensorValue)a.Value)], namedTensors);
        var misplaced = MisplacedTensor(callable, positionalTensors, inputNames.Count);
        if (callable is Builtin builtin && !FillDefaults(builtin, bound, site, misplaced))
        {
            return null;
        }
        if (callable is not Builtin && !CheckRequired(callable, bound, site, misplaced))
        {
            return null;
        }
        var order = parameters.Select(p => p.Name).ToList();
        return new Binding(new BoundArguments([.. bound.OrderBy(b => order.IndexOf(b.Name))]), inputs);
    }

    /// <summary>The signature for hints: <c>linear(out: int, bias: bool = …)</c>.</summary>
    public static string Signature(ICallable callable) =>
        $"{callable.Name}({string.Join(", ", callable.Parameters.Select(p => p.ToString()))})";

    private static ImmutableArray<TensorValue> OrderInputs(
        List<string> inputNames, List<TensorValue> positional, Dictionary<string, TensorValue> named)
    {
        if (named.Count == 0)
        {
            return [.. positional];
        }
        var queue = new Queue<TensorValue>(positional);
        var ordered = new List<TensorValue>();
        foreach (var name in inputNames)
        {
            if (named.TryGetValue(name, out var tensor))
            {
                ordered.Add(tensor);
            }
            else if (queue.Count > 0)
            {
                ordered.Add(queue.Dequeue());
            }
        }
        ordered.AddRange(queue);
        return [.. ordered];
    }

    private bool Add(ICallable callable, ParameterSpec parameter, Value value, Location location, List<BoundArgument> bound)
    {
        var coerced = context.Invoker.Coerce(value, parameter.Type);
        if (coerced is null)
        {
            return Fail(ValueDiagnostics.ArgumentType(location, parameter.Name, callable.Name, parameter.Type, value));
        }
        if (coerced is ErrorValue)
        {
            return false;
        }
        if (OutOfIntRange(coerced))
        {
            return Fail(ValueDiagnostics.InvalidArgument(location, parameter.Name, callable.Name,
                $"must be between {int.MinValue} and {int.MaxValue}, got {value.Display}"));
        }
        var check = (callable as Builtin)?.Declared.First(d => d.Name == parameter.Name).Check;
        var problem = check is null ? null : CheckAll(check, coerced);
        if (problem is not null)
        {
            return Fail(ValueDiagnostics.InvalidArgument(location, parameter.Name, callable.Name, problem));
        }
        bound.Add(new BoundArgument(parameter.Name, coerced, location, IsExplicit: true, Spread: parameter.IsVariadic));
        return true;
    }

    // Sizes, axes and counts are 32-bit in the IR; a larger int must not wrap silently.
    private static bool OutOfIntRange(Value value) => value switch
    {
        IntValue i => i.Value is < int.MinValue or > int.MaxValue,
        ListValue list => list.Items.Any(OutOfIntRange),
        _ => false,
    };

    private static string? CheckAll(Func<Value, string?> check, Value value) =>
        value is ListValue list ? list.Items.Select(check).FirstOrDefault(p => p is not null) : check(value);

    // A positional tensor where a setting was probably meant (linear(x) for linear(4)(x)): a
    // layer's tensors are all inputs, a block's beyond its tensor parameters are extra.
    private static EvaluatedArgument? MisplacedTensor(ICallable callable, List<EvaluatedArgument> positionalTensors, int inputCount) =>
        callable is LayerBuiltin ? positionalTensors.FirstOrDefault() : positionalTensors.Skip(inputCount).FirstOrDefault();

    // A missing setting; when a tensor stands where it was probably meant, the tensor is reported.
    private bool Missing(ICallable callable, string name, ParameterType type, Location site, EvaluatedArgument? misplaced) =>
        Fail(misplaced is null
            ? ValueDiagnostics.MissingArgument(site, callable.Name, name, Signature(callable))
            : ValueDiagnostics.TensorForSetting(misplaced.Location, name, callable.Name, type, misplaced.Value));

    private bool FillDefaults(Builtin builtin, List<BoundArgument> bound, Location site, EvaluatedArgument? misplaced)
    {
        foreach (var parameter in builtin.Declared)
        {
            if (bound.Any(b => b.Name == parameter.Name))
            {
                continue;
            }
            if (parameter.Default is null)
            {
                if (parameter.IsVariadic)
                {
                    bound.Add(new BoundArgument(parameter.Name, new ListValue([]), null, IsExplicit: false));
                    continue;
                }
                return Missing(builtin, parameter.Name, parameter.Type, site, misplaced);
            }
            if (parameter.Default(new BoundArguments([.. bound])) is { } value)
            {
                bound.Add(new BoundArgument(parameter.Name, value, null, IsExplicit: false));
            }
        }
        return true;
    }

    private bool CheckRequired(ICallable callable, List<BoundArgument> bound, Location site, EvaluatedArgument? misplaced)
    {
        foreach (var parameter in callable.Parameters.Where(p => !p.IsInput && !p.HasDefault))
        {
            if (bound.All(b => b.Name != parameter.Name))
            {
                return Missing(callable, parameter.Name, parameter.Type, site, misplaced);
            }
        }
        return true;
    }

    private bool Fail(Text.Diagnostic diagnostic)
    {
        context.Report(diagnostic);
        return false;
    }
}
