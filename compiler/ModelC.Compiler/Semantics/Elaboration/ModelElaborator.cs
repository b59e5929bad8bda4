using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.Passes;
using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Semantics.Symbols;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>The result of elaborating a model: the model, or the diagnostics that stopped it.</summary>
public sealed record ElaborationResult(ElaboratedModel? Model, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>True when there were no errors.</summary>
    public bool Success => Model is not null;
}

/// <summary>
/// Elaborates one model: binds its parameters (defaults, or values given by the user), runs
/// its statements, which instantiate blocks and layers into the IR graph, and checks the result.
/// </summary>
internal static class ModelElaborator
{
    public static ElaborationResult Elaborate(
        ModelSymbol model, ExecutionMode mode, IReadOnlyDictionary<string, Value> arguments, CompilationOptions options)
    {
        var context = new ElaborationContext(options, model.Name, mode);
        var env = BindParameters(context, model, arguments);
        var interfaceBuilder = new ModelInterfaceBuilder(context);
        if (env is not null)
        {
            context.Statements.RunModel(model.Syntax.Statements, env, interfaceBuilder);
            if (interfaceBuilder.OutputCount == 0 && !context.Diagnostics.HasErrors)
            {
                context.Report(ModelDiagnostics.NoOutputs(model.Location, model.Name));
            }
            if (interfaceBuilder.Optimizer is not null && !interfaceBuilder.HasLoss)
            {
                context.Report(ModelDiagnostics.OptimizerWithoutLoss(model.Location));
            }
        }
        var diagnostics = context.Diagnostics.ToSortedArray();
        if (context.Diagnostics.HasErrors)
        {
            return new ElaborationResult(null, diagnostics);
        }
        var built = context.Graph.Build();
        var graph = DeadCodeElimination.Run(built, keepUnusedInputs: mode != ExecutionMode.Inference);
        GraphVerifier.VerifyOrThrow(graph);
        var scopes = ScopePruning.KeepLive(context.Scopes.Build(), built, graph);
        return new ElaborationResult(new ElaboratedModel(model, mode, graph, scopes, interfaceBuilder.Optimizer), diagnostics);
    }

    private static Environment? BindParameters(ElaborationContext context, ModelSymbol model, IReadOnlyDictionary<string, Value> arguments)
    {
        foreach (var name in arguments.Keys.Where(k => model.Parameters.All(p => p.Name != k)))
        {
            context.Report(ModelDiagnostics.UnknownModelArgument(model.Location, model.Name, name,
                Suggestions.Closest(name, model.Parameters.Select(p => p.Name))));
        }
        var env = new Environment(model.Module);
        foreach (var (parameter, syntax) in model.Parameters.Zip(model.Syntax.Parameters))
        {
            var at = model.Module.Tree.GetLocation(syntax.Name.Span);
            Value value;
            if (arguments.TryGetValue(parameter.Name, out var given))
            {
                value = context.Invoker.Coerce(given, parameter.Type)
                    ?? context.Report(ValueDiagnostics.DefaultType(at, parameter.Name, parameter.Type, given));
            }
            else if (parameter.Type.Kind == ParameterKind.Batch)
            {
                value = new BatchDimValue(parameter.Name);
            }
            else if (syntax.Default is { } defaultSyntax)
            {
                var computed = context.Expressions.Evaluate(defaultSyntax, env);
                value = context.Invoker.Coerce(computed, parameter.Type)
                    ?? context.Report(ValueDiagnostics.DefaultType(ElaborationContext.At(env, defaultSyntax.Span), parameter.Name, parameter.Type, computed));
            }
            else
            {
                value = context.Report(ModelDiagnostics.MissingModelArgument(at, model.Name, parameter.Name));
            }
            env = env.With(parameter.Name, value);
        }
        return context.Diagnostics.HasErrors ? null : env;
    }
}
