using System.Collections.Immutable;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Builtins;
using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Semantics.Symbols;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Syntax;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>
/// Evaluates expressions at compile time. Numbers, lists and settings are computed; module
/// expressions (<c>&gt;&gt;</c>, <c>branch</c>, <c>route</c>, configured blocks) become recipes;
/// applying a module to tensors adds nodes to the graph (see <see cref="Invoker"/>).
/// </summary>
internal sealed class ExpressionEvaluator(ElaborationContext context)
{
    /// <summary>
    /// Evaluates an expression. <paramref name="scopeName"/> names the scope of the application
    /// the expression makes, when it is one call (<c>let q = linear(d)(x);</c> gives <c>q.weight</c>).
    /// </summary>
    public Value Evaluate(ExpressionSyntax expression, Environment env, string? scopeName = null)
    {
        var at = ElaborationContext.At(env, expression.Span);
        switch (expression)
        {
            case IntLiteralSyntax i:
                return new IntValue(i.Value);
            case FloatLiteralSyntax f:
                return new FloatValue(f.Value);
            case StringLiteralSyntax s:
                return new StringValue(s.Value);
            case BoolLiteralSyntax b:
                return new BoolValue(b.Value);
            case NameSyntax name:
                return EvaluateName(name, env);
            case ParenthesizedSyntax paren:
                return Evaluate(paren.Inner, env, scopeName);
            case ListSyntax list:
                return Poisoned(list.Elements.Select(e => Evaluate(e, env)).ToList(), items => new ListValue([.. items]));
            case CallSyntax call:
                return EvaluateCall(call, env, scopeName);
            case MemberSyntax member:
                return Members.Evaluate(context, Evaluate(member.Target, env), member.Member.Name, ElaborationContext.At(env, member.Member.Span));
            case IndexSyntax index:
                return Subscripts.Index(context, Evaluate(index.Target, env), [.. index.Indices.Select(i => EvaluateSubscript(i, env))],
                    ElaborationContext.At(env, index.Target.Span));
            case UnarySyntax unary:
                return Operators.Unary(context, unary.Operator, Evaluate(unary.Operand, env), at);
            case BinarySyntax { Operator: BinaryOperator.And or BinaryOperator.Or } logic:
                return EvaluateLogic(logic, env);
            case BinarySyntax binary:
                return Operators.Binary(context, binary.Operator, Evaluate(binary.Left, env), Evaluate(binary.Right, env),
                    ElaborationContext.At(env, binary.OperatorSpan));
            case ConditionalSyntax conditional:
                return Condition(conditional.Condition, env) switch
                {
                    true => Evaluate(conditional.WhenTrue, env, scopeName),
                    false => Evaluate(conditional.WhenFalse, env, scopeName),
                    null => ErrorValue.Instance,
                };
            case SequenceSyntax sequence:
                return EvaluateSequence(sequence, env);
            case BranchSyntax branch:
                return EvaluateBranch(branch, env);
            case RouteSyntax route:
                return EvaluateRoute(route, env);
            default:
                return ErrorValue.Instance;
        }
    }

    /// <summary>Evaluates a compile-time condition; null (after reporting) when it is not a bool.</summary>
    public bool? Condition(ExpressionSyntax expression, Environment env)
    {
        var value = Evaluate(expression, env);
        return value switch
        {
            BoolValue b => b.Value,
            ErrorValue => null,
            _ => Reported(context.Report(ValueDiagnostics.ConditionNotBool(ElaborationContext.At(env, expression.Span), value))),
        };
    }

    /// <summary>Evaluates an expression that must be a module, configuring a bare name with its defaults.</summary>
    public ModuleValue? EvaluateModule(ExpressionSyntax expression, Environment env) =>
        context.Invoker.ToModule(Evaluate(expression, env), ElaborationContext.At(env, expression.Span));

    private static bool? Reported(ErrorValue _) => null;

    private Subscript EvaluateSubscript(ExpressionSyntax index, Environment env)
    {
        var at = ElaborationContext.At(env, index.Span);
        return index is SliceSyntax slice
            ? new SliceSubscript(Part(slice.Start), Part(slice.Stop), Part(slice.Step), at)
            : new ElementSubscript(Evaluate(index, env), at);

        SlicePart? Part(ExpressionSyntax? part) =>
            part is null ? null : new SlicePart(Evaluate(part, env), ElaborationContext.At(env, part.Span));
    }

    private Value EvaluateName(NameSyntax name, Environment env)
    {
        var identifier = name.Identifier.Name;
        if (env.TryGetLocal(identifier, out var local))
        {
            return local;
        }
        var at = ElaborationContext.At(env, name.Span);
        return NameLookup.Lookup(env.Module, identifier) switch
        {
            LookupResult.Declaration { Symbol: BlockSymbol block } => new CallableValue(block, at),
            LookupResult.Declaration { Symbol: ConstSymbol constant } => context.Constants.Get(constant, context),
            LookupResult.Declaration { Symbol: ModelSymbol model } => context.Report(NameDiagnostics.ModelAsValue(at, model.Name)),
            LookupResult.BuiltinEntry { Entry: Builtin builtin } => new CallableValue(builtin, at),
            LookupResult.BuiltinEntry { Entry: Value value } => value,
            LookupResult.Ambiguous a => context.Report(NameDiagnostics.AmbiguousName(at, identifier, a.First.Module.ToString(), a.Second.Module.ToString())),
            _ => context.Report(NameDiagnostics.UnknownName(at, identifier, null)),
        };
    }

    private Value EvaluateCall(CallSyntax call, Environment env, string? scopeName)
    {
        var callee = Evaluate(call.Callee, env);
        var arguments = call.Arguments
            .Select(a => new EvaluatedArgument(
                a.Name?.Name,
                Evaluate(a.Value, env),
                ElaborationContext.At(env, a.Value.Span),
                a.Name is null ? null : ElaborationContext.At(env, a.Name.Span)))
            .ToList();
        return context.Invoker.Call(callee, arguments, ElaborationContext.At(env, call.Span), scopeName);
    }

    private Value EvaluateLogic(BinarySyntax logic, Environment env)
    {
        var isAnd = logic.Operator == BinaryOperator.And;
        var left = Condition(logic.Left, env);
        if (left is null)
        {
            return ErrorValue.Instance;
        }
        if (left.Value != isAnd)
        {
            return new BoolValue(left.Value);
        }
        return Condition(logic.Right, env) is { } right ? new BoolValue(right) : ErrorValue.Instance;
    }

    private Value EvaluateSequence(SequenceSyntax sequence, Environment env)
    {
        var first = EvaluateModule(sequence.First, env);
        var second = EvaluateModule(sequence.Second, env);
        if (first is null || second is null)
        {
            return ErrorValue.Instance;
        }
        if (!second.Accepts(1))
        {
            return context.Report(ShapeDiagnostics.InputCount(second.Site, second.Display, second.ArityText, 1));
        }
        return new SequentialModule(first, second, ElaborationContext.At(env, sequence.Span));
    }

    private Value EvaluateBranch(BranchSyntax branch, Environment env)
    {
        var splitterValue = Evaluate(branch.Splitter, env);
        var splitterAt = ElaborationContext.At(env, branch.Splitter.Span);
        if (splitterValue is CallableValue { Callable: SplitterBuiltin })
        {
            splitterValue = context.Invoker.Call(splitterValue, [], splitterAt, null);
        }
        var modules = branch.Branches.Select(b => EvaluateModule(b, env)).ToList();
        var merge = EvaluateModule(branch.Merge, env);
        if (splitterValue is ErrorValue || merge is null || modules.Any(m => m is null))
        {
            return ErrorValue.Instance;
        }
        if (splitterValue is not SplitterValue splitter)
        {
            return context.Report(ValueDiagnostics.ExpectedSplitter(splitterAt, splitterValue));
        }
        if (modules.Count != 1 && modules.Count != splitter.Count)
        {
            return context.Report(ValueDiagnostics.BranchCount(ElaborationContext.At(env, branch.Span), modules.Count, splitter));
        }
        foreach (var module in modules.Where(m => !m!.Accepts(1)))
        {
            return context.Report(ShapeDiagnostics.InputCount(module!.Site, module.Display, module.ArityText, 1));
        }
        if (!merge.Accepts(splitter.Count))
        {
            return context.Report(ShapeDiagnostics.InputCount(merge.Site, merge.Display, merge.ArityText, splitter.Count));
        }
        return new BranchModule(splitter, [.. modules!], merge, ElaborationContext.At(env, branch.Span));
    }

    private Value EvaluateRoute(RouteSyntax route, Environment env)
    {
        var parts = new[] { route.Pre, route.Inner, route.Post }.Select(p => EvaluateModule(p, env)).ToList();
        if (parts.Any(p => p is null))
        {
            return ErrorValue.Instance;
        }
        foreach (var part in parts.Where(p => !p!.Accepts(1)))
        {
            return context.Report(ShapeDiagnostics.InputCount(part!.Site, part.Display, part.ArityText, 1));
        }
        return new RouteModule(parts[0]!, parts[1]!, parts[2]!, ElaborationContext.At(env, route.Span));
    }

    private static Value Poisoned(List<Value> items, Func<List<Value>, Value> make) =>
        items.Any(i => i is ErrorValue) ? ErrorValue.Instance : make(items);
}
