using ModelC.Compiler.IR;
using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Syntax;
using ModelC.Runtime;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>
/// Collects a model's inputs, outputs, loss and optimizer while its statements run, checking
/// declared types and duplicates, and marks the graph's results.
/// </summary>
internal sealed class ModelInterfaceBuilder(ElaborationContext context)
{
    private readonly HashSet<string> _names = [];

    public int OutputCount { get; private set; }

    /// <summary>True once a loss statement has been seen, even one that failed.</summary>
    public bool HasLoss { get; private set; }

    public ConfigValue? Optimizer { get; private set; }

    public Value AddInput(InputStatementSyntax input, Environment env)
    {
        if (!ClaimName(input.Name, env))
        {
            return ErrorValue.Instance;
        }
        var typeName = input.Type.Name.Name;
        var dtype = ElementTypeNames.TryParse(typeName);
        if (dtype is not (ElementType.F32 or ElementType.I32))
        {
            return context.Report(ModelDiagnostics.TensorElementType(ElaborationContext.At(env, input.Type.Span), typeName));
        }
        var shape = TensorShape(input.Type, env);
        return shape is null ? ErrorValue.Instance : new TensorValue(context.Graph.Input(input.Name.Name, new TensorType(dtype.Value, shape)));
    }

    public Value AddOutput(OutputStatementSyntax output, Environment env)
    {
        var value = context.Expressions.Evaluate(output.Value, env, output.Name.Name);
        if (!ClaimName(output.Name, env) || value is ErrorValue)
        {
            return ErrorValue.Instance;
        }
        var at = ElaborationContext.At(env, output.Value.Span);
        if (value is not TensorValue tensor)
        {
            return context.Report(ValueDiagnostics.ExpectedTensor(at, value));
        }
        if (output.Type is { } typeSyntax && DeclaredType(typeSyntax, env) is { } declared && declared != tensor.Type)
        {
            return context.Report(ShapeDiagnostics.OutputType(at, output.Name.Name, declared, tensor.Type));
        }
        context.Graph.Output(output.Name.Name, tensor.Node);
        OutputCount++;
        return tensor;
    }

    public void SetLoss(LossStatementSyntax loss, Environment env)
    {
        var value = context.Expressions.Evaluate(loss.Value, env);
        var at = ElaborationContext.At(env, loss.Value.Span);
        if (HasLoss)
        {
            context.Report(ModelDiagnostics.DuplicateLoss(ElaborationContext.At(env, loss.Span)));
            return;
        }
        HasLoss = true;
        switch (value)
        {
            case ErrorValue:
                return;
            case TensorValue tensor when tensor.Type != TensorType.ScalarF32:
                context.Report(ShapeDiagnostics.LossNotScalar(at, tensor.Type));
                return;
            case TensorValue tensor:
                if (context.Mode != ExecutionMode.Inference)
                {
                    context.Graph.Loss(tensor.Node);
                }
                return;
            default:
                context.Report(ValueDiagnostics.ExpectedTensor(at, value));
                return;
        }
    }

    public void SetOptimizer(OptimizerStatementSyntax optimizer, Environment env)
    {
        var value = context.Expressions.Evaluate(optimizer.Value, env);
        if (Optimizer is not null)
        {
            context.Report(ModelDiagnostics.DuplicateOptimizer(ElaborationContext.At(env, optimizer.Span)));
            return;
        }
        var coerced = context.Invoker.Coerce(value, new ParameterType(ParameterKind.Optimizer));
        switch (coerced)
        {
            case ConfigValue config:
                Optimizer = config;
                return;
            case ErrorValue:
                return;
            default:
                context.Report(ModelDiagnostics.ExpectedOptimizer(ElaborationContext.At(env, optimizer.Value.Span), value));
                return;
        }
    }

    private bool ClaimName(IdentifierSyntax name, Environment env)
    {
        if (_names.Add(name.Name))
        {
            return true;
        }
        context.Report(ModelDiagnostics.DuplicateInterfaceName(ElaborationContext.At(env, name.Span), name.Name));
        return false;
    }

    private TensorType? DeclaredType(TypeSyntax syntax, Environment env)
    {
        var dtype = ElementTypeNames.TryParse(syntax.Name.Name);
        if (dtype is null)
        {
            context.Report(ModelDiagnostics.TensorElementType(ElaborationContext.At(env, syntax.Span), syntax.Name.Name));
            return null;
        }
        return TensorShape(syntax, env) is { } shape ? new TensorType(dtype.Value, shape) : null;
    }

    private Shape? TensorShape(TypeSyntax syntax, Environment env)
    {
        var dims = new List<Dim>();
        var expressions = syntax.Dimensions ?? [];
        for (var i = 0; i < expressions.Length; i++)
        {
            var value = context.Expressions.Evaluate(expressions[i], env);
            var at = ElaborationContext.At(env, expressions[i].Span);
            switch (value)
            {
                case IntValue { Value: > 0 and <= int.MaxValue } n:
                    dims.Add(Dim.Of((int)n.Value));
                    break;
                case BatchDimValue batch when i == 0:
                    dims.Add(Dim.Symbolic(batch.Symbol));
                    break;
                case BatchDimValue:
                    context.Report(ShapeDiagnostics.BatchNotFirst(at));
                    return null;
                case ErrorValue:
                    return null;
                default:
                    context.Report(ShapeDiagnostics.InvalidDimension(at, ValueDiagnostics.Describe(value)));
                    return null;
            }
        }
        return Shape.Of(dims);
    }
}
