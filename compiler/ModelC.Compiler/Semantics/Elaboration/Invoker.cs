using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Builtins;
using ModelC.Compiler.Semantics.Builtins.Layers;
using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Semantics.Symbols;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Syntax;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>
/// Calls and applications. A call configures a block or built-in (giving a module) and, when
/// it also passes tensors, applies it. Applying a module opens a scope, creates the module's
/// parameters and adds its nodes; combinators route tensors through their parts.
/// </summary>
internal sealed class Invoker(ElaborationContext context)
{
    private readonly ArgumentBinder _binder = new(context);

    /// <summary><c>callee(arguments)</c>: configure, apply, or both.</summary>
    public Value Call(Value callee, IReadOnlyList<EvaluatedArgument> arguments, Location site, string? scopeName)
    {
        switch (callee)
        {
            case ErrorValue:
                return callee;
            case CallableValue callable:
                return CallCallable(callable.Callable, arguments, site, scopeName);
            case ModuleValue module:
                if (arguments.Any(a => a.Value is ErrorValue))
                {
                    return ErrorValue.Instance;
                }
                if (arguments.FirstOrDefault(a => a.Name is not null) is { } named)
                {
                    // A configured module has no parameters left; its inputs are positional.
                    return context.Report(ValueDiagnostics.UnknownArgument(named.NameLocation ?? named.Location, module.Display, named.Name!, null));
                }
                for (var i = 0; i < arguments.Count; i++)
                {
                    if (arguments[i].Value is not TensorValue)
                    {
                        return context.Report(ValueDiagnostics.ArgumentType(arguments[i].Location, $"input {i + 1}", module.Display,
                            ParameterType.Tensor, arguments[i].Value));
                    }
                }
                return Apply(module, [.. arguments.Select(a => (TensorValue)a.Value)], site, scopeName);
            default:
                return context.Report(ValueDiagnostics.NotCallable(site, callee));
        }
    }

    /// <summary>
    /// Converts a value to a module: modules pass, a bare block or layer name is configured
    /// with its defaults; anything else is reported (null).
    /// </summary>
    public ModuleValue? ToModule(Value value, Location site)
    {
        switch (value)
        {
            case ModuleValue module:
                return module;
            case ErrorValue:
                return null;
            case CallableValue { Callable: BlockSymbol or LayerBuiltin } callable:
                return CallCallable(callable.Callable, [], callable.Site, null) as ModuleValue;
            default:
                context.Report(ValueDiagnostics.ExpectedBlock(site, value));
                return null;
        }
    }

    /// <summary>
    /// Converts a value to a parameter type (ints widen to floats, bare names to modules or
    /// settings); null when the value does not fit, the error value when conversion failed
    /// and was reported.
    /// </summary>
    public Value? Coerce(Value value, ParameterType type)
    {
        if (value is ErrorValue)
        {
            return value;
        }
        if (type.IsList)
        {
            var element = new ParameterType(type.Kind);
            if (value is not ListValue list)
            {
                return type.AcceptsItem ? Coerce(value, element) : null;
            }
            var items = list.Items.Select(i => Coerce(i, element)).ToList();
            return items.Any(i => i is null) ? null : items.Any(i => i is ErrorValue) ? ErrorValue.Instance : new ListValue([.. items!]);
        }
        return (type.Kind, value) switch
        {
            (ParameterKind.Any, _) => value,
            (ParameterKind.Int, IntValue) => value,
            (ParameterKind.Float, FloatValue) => value,
            (ParameterKind.Float, IntValue i) => new FloatValue(i.Value),
            (ParameterKind.Bool, BoolValue) => value,
            (ParameterKind.String, StringValue) => value,
            (ParameterKind.Padding, PaddingValue) => value,
            (ParameterKind.Tensor, TensorValue) => value,
            (ParameterKind.Batch, BatchDimValue) => value,
            (ParameterKind.Block, ModuleValue) => value,
            (ParameterKind.Block, CallableValue { Callable: BlockSymbol or LayerBuiltin } c) =>
                (Value?)ToModule(c, c.Site) ?? ErrorValue.Instance,
            (ParameterKind.Optimizer, ConfigValue { Kind: ConfigKind.Optimizer }) => value,
            (ParameterKind.Schedule, ConfigValue { Kind: ConfigKind.Schedule }) => value,
            (ParameterKind.Optimizer, CallableValue { Callable: ConfigBuiltin { Kind: ConfigKind.Optimizer } } c) =>
                CallCallable(c.Callable, [], c.Site, null),
            (ParameterKind.Schedule, CallableValue { Callable: ConfigBuiltin { Kind: ConfigKind.Schedule } } c) =>
                CallCallable(c.Callable, [], c.Site, null),
            (ParameterKind.Init, ConfigValue { Kind: ConfigKind.Init }) => value,
            (ParameterKind.Init, CallableValue { Callable: ConfigBuiltin { Kind: ConfigKind.Init } } c) =>
                CallCallable(c.Callable, [], c.Site, null),
            (ParameterKind.Init, PaddingValue { Mode: Lowering.PaddingMode.Zeros }) => Initializers.Zeros,
            _ => null,
        };
    }

    /// <summary>Applies a module to tensors, building its nodes.</summary>
    public Value Apply(ModuleValue module, ImmutableArray<TensorValue> inputs, Location site, string? scopeName)
    {
        if (!module.Accepts(inputs.Length))
        {
            return context.Report(ShapeDiagnostics.InputCount(site, module.Display, module.ArityText, inputs.Length));
        }
        try
        {
            context.CountApplication();
            return module switch
            {
                BuiltinModule builtin => ApplyBuiltin(builtin, inputs, scopeName),
                BlockModule block => ApplyBlock(block, inputs, site, scopeName),
                SequentialModule sequence => Apply(sequence.First, inputs, sequence.First.Site, null) is TensorValue middle
                    ? Apply(sequence.Second, [middle], sequence.Second.Site, null)
                    : ErrorValue.Instance,
                RepeatModule repeat => ApplyRepeat(repeat, inputs[0]),
                SharedModule shared => ApplyShared(shared, inputs, site, scopeName),
                BranchModule branch => ApplyBranch(branch, inputs[0]),
                RouteModule route => ApplyRoute(route, inputs[0]),
                _ => ErrorValue.Instance,
            };
        }
        // Sizes past the limits surface deep inside layers and ops; the innermost application
        // reports them where the user wrote it, and every enclosing one sees an error value.
        catch (Exception e) when (ElaborationContext.TooLargeDetail(e) is { } detail)
        {
            return context.ReportTooLarge(site, detail);
        }
    }

    private Value CallCallable(ICallable callable, IReadOnlyList<EvaluatedArgument> arguments, Location site, string? scopeName)
    {
        if (callable is LayerBuiltin { OnNumber: { } number } && arguments is [{ Name: null, Value: IntValue or FloatValue } argument])
        {
            return OfNumber(callable.Name, number, argument);
        }
        var binding = _binder.Bind(callable, arguments, site);
        if (binding is null)
        {
            return ErrorValue.Instance;
        }
        var configured = callable switch
        {
            BlockSymbol block => ConfigureBlock(block, binding.Configuration, site),
            LayerBuiltin layer => new BuiltinModule(layer, binding.Configuration, site),
            SplitterBuiltin splitter => splitter.Make(binding.Configuration),
            FunctionBuiltin function => function.Invoke(new FunctionContext(context, function.Name, site, binding.Configuration, scopeName), binding.Configuration),
            ConfigBuiltin config => new ConfigValue(config.Kind, config.Name,
                [.. binding.Configuration.Items.Select(i => KeyValuePair.Create(i.Name, i.Value))]),
            _ => ErrorValue.Instance,
        };
        // Only blocks and layers bind tensors as inputs, and they configure to modules.
        return binding.Inputs.IsEmpty || configured is not ModuleValue module
            ? configured
            : Apply(module, binding.Inputs, site, scopeName);
    }

    // sqrt(16): an elementwise layer called with one number computes it at compile time.
    private Value OfNumber(string name, NumberForm number, EvaluatedArgument argument)
    {
        var x = argument.Value is IntValue i ? i.Value : ((FloatValue)argument.Value).Value;
        var problem = number.Domain?.Invoke(x);
        var result = problem is null ? number.Apply(x) : double.NaN;
        problem ??= double.IsFinite(result) ? null : $"is too large: {name}({argument.Value.Display}) is not a finite number";
        return problem is null ? new FloatValue(result) : context.Report(ValueDiagnostics.InvalidArgument(argument.Location, "x", name, problem));
    }

    // A point-free block's body is evaluated now, once per configuration: its arity is then
    // known and its errors are reported once. A dataflow block runs when applied.
    private Value ConfigureBlock(BlockSymbol block, BoundArguments arguments, Location site)
    {
        if (block.Syntax.ExpressionBody is not { } body)
        {
            return new BlockModule(block, arguments, null, site);
        }
        if (!context.Enter(block.Name, site))
        {
            return ErrorValue.Instance;
        }
        try
        {
            var env = BindConfiguration(block, arguments, [], site);
            if (env is null)
            {
                return ErrorValue.Instance;
            }
            var inner = context.Expressions.EvaluateModule(body, env);
            return inner is null ? ErrorValue.Instance : new BlockModule(block, arguments, inner, site);
        }
        finally
        {
            context.Leave();
        }
    }

    // Binds a block's parameters in declaration order: inputs from the application, then the
    // call's arguments, then defaults, which may read the parameters before them.
    private Environment? BindConfiguration(BlockSymbol block, BoundArguments arguments, ImmutableArray<TensorValue> inputs, Location site)
    {
        var env = new Environment(block.Module);
        var nextInput = 0;
        foreach (var (parameter, syntax) in block.Parameters.Zip(block.Syntax.Parameters))
        {
            Value value;
            if (parameter.IsInput)
            {
                value = inputs[nextInput++];
            }
            else if (arguments.Find(parameter.Name) is { } given)
            {
                value = given.Value;
            }
            else if (syntax.Default is { } defaultSyntax)
            {
                var computed = context.Expressions.Evaluate(defaultSyntax, env);
                value = Coerce(computed, parameter.Type) ?? context.Report(ValueDiagnostics.DefaultType(
                    ElaborationContext.At(env, defaultSyntax.Span), parameter.Name, parameter.Type, computed));
            }
            else
            {
                context.Report(ValueDiagnostics.MissingArgument(site, block.Name, parameter.Name, ArgumentBinder.Signature(block)));
                return null;
            }
            if (value is ErrorValue)
            {
                return null;
            }
            env = env.With(parameter.Name, value);
        }
        return env;
    }

    private Value ApplyBuiltin(BuiltinModule module, ImmutableArray<TensorValue> inputs, string? scopeName)
    {
        Open(module.Builtin.Name, scopeName, module.Site);
        var result = BuildBuiltin(module, inputs);
        Close(result as TensorValue);
        return result;
    }

    // Builds a layer in the innermost scope, which is its own.
    private Value BuildBuiltin(BuiltinModule module, ImmutableArray<TensorValue> inputs)
    {
        var layer = new LayerContext(context, module.Display, module.Site);
        var result = module.Builtin.Apply(layer, module.Arguments, inputs);
        if (result is not null && !BatchRule.Holds(result.Type))
        {
            result = layer.FailBatch($"would move the batch dimension: the result would be {result.Type}");
        }
        return (Value?)result ?? ErrorValue.Instance;
    }

    private Value ApplyBlock(BlockModule module, ImmutableArray<TensorValue> inputs, Location site, string? scopeName)
    {
        Open(module.Block.Name, scopeName, module.Site);
        var result = RunBlock(module, inputs, site);
        Close(result as TensorValue);
        return result;
    }

    // Runs a block in the innermost scope, which is its own.
    private Value RunBlock(BlockModule module, ImmutableArray<TensorValue> inputs, Location site)
    {
        if (!context.Enter(module.Block.Name, site))
        {
            return ErrorValue.Instance;
        }
        try
        {
            return module.Body is { } body
                ? Apply(body, inputs, body.Site, null)
                : RunDataflowBlock(module, inputs, site);
        }
        finally
        {
            context.Leave();
        }
    }

    // The application's scope stands for the body's own (a layer's or a block's), so that the
    // weights of share(linear(d)) bound to `cell` are cell.weight and cell.bias, as nn.Linear's.
    private Value ApplyShared(SharedModule shared, ImmutableArray<TensorValue> inputs, Location site, string? scopeName)
    {
        var body = shared.Body;
        Open(body switch { BuiltinModule b => b.Builtin.Name, BlockModule b => b.Block.Name, _ => "share" }, scopeName, body.Site);
        var result = context.InSharedApplication(shared, site, () => body switch
        {
            BuiltinModule builtin => BuildBuiltin(builtin, inputs),
            BlockModule block => RunBlock(block, inputs, site),
            _ => Apply(body, inputs, body.Site, null),
        });
        Close(result as TensorValue);
        return result;
    }

    private Value RunDataflowBlock(BlockModule module, ImmutableArray<TensorValue> inputs, Location site)
    {
        var block = module.Block;
        var env = BindConfiguration(block, module.Arguments, inputs, site);
        if (env is null)
        {
            return ErrorValue.Instance;
        }
        return context.Statements.RunBlock(block.Syntax.StatementBody, env) ?? ErrorValue.Instance;
    }

    private void Open(string kind, string? scopeName, Location site)
    {
        context.Scopes.Open(kind, scopeName, site);
        context.Graph.Scope = context.Scopes.CurrentPath;
    }

    private void Close(TensorValue? result)
    {
        context.Scopes.Close(result?.Type);
        context.Graph.Scope = context.Scopes.CurrentPath;
    }

    private Value ApplyRepeat(RepeatModule repeat, TensorValue input)
    {
        var x = input;
        for (var i = 0; i < repeat.Count; i++)
        {
            if (Apply(repeat.Body, [x], repeat.Body.Site, null) is not TensorValue next)
            {
                return ErrorValue.Instance;
            }
            x = next;
        }
        return x;
    }

    private Value ApplyBranch(BranchModule branch, TensorValue input)
    {
        var parts = Split(branch, input);
        if (parts is null)
        {
            return ErrorValue.Instance;
        }
        var results = new List<TensorValue>();
        for (var i = 0; i < branch.Splitter.Count; i++)
        {
            var module = branch.Branches.Length == 1 ? branch.Branches[0] : branch.Branches[i];
            if (Apply(module, [parts(i)], module.Site, null) is not TensorValue result)
            {
                return ErrorValue.Instance;
            }
            results.Add(result);
        }
        return Apply(branch.Merge, [.. results], branch.Merge.Site, null);
    }

    // The parts of the input, by branch index. Clones are not listed: clone(n) may be huge,
    // and the application limit, not an allocation, must be what stops it.
    private Func<int, TensorValue>? Split(BranchModule branch, TensorValue input)
    {
        var splitter = branch.Splitter;
        if (splitter.Kind == SplitterKind.Clone)
        {
            return _ => input;
        }
        var layer = new LayerContext(context, splitter.Display, branch.Site);
        if (layer.Axis(input, splitter.Dim, "dim") is not { } axis || !layer.ExpectFixed(input, axis, "split"))
        {
            return null;
        }
        var size = input.Shape[axis].FixedSize;
        if (size % splitter.Count != 0)
        {
            layer.Fail($"cannot split dimension {axis} of {input.Type} into {splitter.Count} equal parts");
            return null;
        }
        var part = size / splitter.Count;
        var slices = new List<TensorValue>();
        for (var i = 0; i < splitter.Count; i++)
        {
            slices.Add(new TensorValue(context.Graph.Slice(input.Node, axis, i * part, (i + 1) * part)));
        }
        return i => slices[i];
    }

    // The post of a route that starts with im2col may be a bare col2im: it restores the grid
    // the im2col made, which is known once the input's shape is.
    private Value ApplyRoute(RouteModule route, TensorValue input)
    {
        if (Apply(route.Pre, [input], route.Pre.Site, null) is not TensorValue routed)
        {
            return ErrorValue.Instance;
        }
        var post = Unwrap(route.Post);
        if (post is BuiltinModule { Builtin.Name: ConvolutionLayers.Col2imName } col2im && col2im.Arguments.Find("h") is null
            && Unwrap(route.Pre) is BuiltinModule { Builtin.Name: ConvolutionLayers.Im2colName } im2col)
        {
            var (h, w) = ConvolutionLayers.Im2colGrid(input.Shape, im2col.Arguments);
            post = col2im with
            {
                Arguments = col2im.Arguments
                    .With(new BoundArgument("h", new IntValue(h), null, IsExplicit: false))
                    .With(new BoundArgument("w", new IntValue(w), null, IsExplicit: false)),
            };
        }
        else
        {
            post = route.Post;
        }
        if (Apply(route.Inner, [routed], route.Inner.Site, null) is not TensorValue inner)
        {
            return ErrorValue.Instance;
        }
        return Apply(post, [inner], post.Site, null);
    }

    // A point-free block whose body is a single module stands for that module (block patches = im2col(3, 1, 1)).
    private static ModuleValue Unwrap(ModuleValue module) =>
        module is BlockModule { Body: { } body } ? Unwrap(body) : module;
}
