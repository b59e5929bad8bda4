using System.Collections.Immutable;
using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Syntax;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>
/// Runs the statements of a dataflow block or a model. <c>if</c> picks a branch at compile
/// time; the <c>let</c>s inside a branch stay inside it.
/// </summary>
internal sealed class StatementRunner(ElaborationContext context)
{
    /// <summary>Runs a block's statements and returns what it returns (null if nothing was returned).</summary>
    public Value? RunBlock(ImmutableArray<StatementSyntax> statements, Environment env) => Run(statements, env, null);

    /// <summary>Runs a model's statements, declaring its interface into <paramref name="model"/>.</summary>
    public void RunModel(ImmutableArray<StatementSyntax> statements, Environment env, ModelInterfaceBuilder model) =>
        Run(statements, env, model);

    private Value? Run(ImmutableArray<StatementSyntax> statements, Environment env, ModelInterfaceBuilder? model)
    {
        foreach (var statement in statements)
        {
            try
            {
                if (RunOne(statement, ref env, model) is { } result)
                {
                    return result;
                }
            }
            // Inputs and tensor operators outside any layer can outgrow the limits too.
            catch (Exception e) when (ElaborationContext.TooLargeDetail(e) is { } detail)
            {
                return context.ReportTooLarge(ElaborationContext.At(env, statement.Span), detail);
            }
        }
        return null;
    }

    // Runs one statement: the value that ends the body (a return, or an error), or null to go on.
    private Value? RunOne(StatementSyntax statement, ref Environment env, ModelInterfaceBuilder? model)
    {
        switch (statement)
        {
            case LetStatementSyntax let:
                env = env.With(let.Name.Name, context.Expressions.Evaluate(let.Value, env, let.Name.Name));
                return null;
            case ReturnStatementSyntax ret:
                var returned = context.Expressions.Evaluate(ret.Value, env);
                return returned is TensorValue or ErrorValue || model is not null
                    ? returned
                    : context.Report(ValueDiagnostics.ReturnNotTensor(ElaborationContext.At(env, ret.Value.Span), BlockName(env), returned));
            case IfStatementSyntax conditional:
                var chosen = context.Expressions.Condition(conditional.Condition, env);
                if (chosen is null)
                {
                    return ErrorValue.Instance;
                }
                return Run(chosen.Value ? conditional.Then : conditional.Else ?? [], env, model);
            case AssertStatementSyntax assert:
                var holds = context.Expressions.Condition(assert.Condition, env);
                if (holds == false)
                {
                    context.Report(ValueDiagnostics.AssertionFailed(ElaborationContext.At(env, assert.Condition.Span), assert.Message));
                }
                // What follows an assert relies on it; running on would only repeat the error.
                return holds == true ? null : ErrorValue.Instance;
            case InputStatementSyntax input when model is not null:
                env = env.With(input.Name.Name, model.AddInput(input, env));
                return null;
            case OutputStatementSyntax output when model is not null:
                env = env.With(output.Name.Name, model.AddOutput(output, env));
                return null;
            case LossStatementSyntax loss when model is not null:
                model.SetLoss(loss, env);
                return null;
            case OptimizerStatementSyntax optimizer when model is not null:
                model.SetOptimizer(optimizer, env);
                return null;
            default:
                return null;
        }
    }

    private string BlockName(Environment env) => context.CurrentBlock ?? env.Module.ToString();
}
