using System.Collections.Immutable;
using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Syntax;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Symbols;

/// <summary>
/// Checks every declaration of a file before anything is instantiated: each name refers to
/// something, model-only statements are in models, dataflow blocks return on every path.
/// Blocks are generic over their parameters, so shapes are checked when a model uses them.
/// </summary>
internal sealed class NameChecker(SourceModule module, DiagnosticBag diagnostics)
{
    public static void Check(SourceModule module, DiagnosticBag diagnostics)
    {
        // Names from an import that failed to parse would all look unknown; its syntax errors say enough.
        if (module.HasBrokenImports)
        {
            return;
        }
        var checker = new NameChecker(module, diagnostics);
        foreach (var declaration in module.Tree.Root.Declarations)
        {
            checker.CheckDeclaration(declaration);
        }
    }

    private void CheckDeclaration(DeclarationSyntax declaration)
    {
        switch (declaration)
        {
            case ConstDeclarationSyntax constant:
                CheckExpression(constant.Value, []);
                break;
            case BlockDeclarationSyntax block:
                var blockScope = CheckParameters(block.Parameters);
                if (block.ExpressionBody is { } body)
                {
                    CheckExpression(body, blockScope);
                }
                else
                {
                    CheckStatements(block.StatementBody, blockScope, inModel: false);
                    if (!Returns(block.StatementBody))
                    {
                        Report(NameAt(block.Name), ValueDiagnostics.MissingReturn, block.Name.Name);
                    }
                }
                break;
            case ModelDeclarationSyntax model:
                CheckStatements(model.Statements, CheckParameters(model.Parameters), inModel: true);
                break;
        }
    }

    private ImmutableHashSet<string> CheckParameters(ImmutableArray<ParameterSyntax> parameters)
    {
        var scope = ImmutableHashSet<string>.Empty;
        foreach (var parameter in parameters)
        {
            if (parameter.Default is { } value)
            {
                CheckExpression(value, scope);
            }
            scope = scope.Add(parameter.Name.Name);
        }
        return scope;
    }

    private void CheckStatements(ImmutableArray<StatementSyntax> statements, ImmutableHashSet<string> scope, bool inModel)
    {
        var returned = false;
        foreach (var statement in statements)
        {
            if (returned)
            {
                diagnostics.Add(ValueDiagnostics.UnreachableStatement(At(statement.Span)));
                returned = false;
            }
            switch (statement)
            {
                case LetStatementSyntax let:
                    CheckExpression(let.Value, scope);
                    scope = scope.Add(let.Name.Name);
                    break;
                case ReturnStatementSyntax ret:
                    if (inModel)
                    {
                        diagnostics.Add(ModelDiagnostics.ReturnInModel(At(KeywordSpan(ret.Span, "return"))));
                    }
                    CheckExpression(ret.Value, scope);
                    returned = !inModel;
                    break;
                case IfStatementSyntax conditional:
                    CheckExpression(conditional.Condition, scope);
                    CheckStatements(conditional.Then, scope, inModel);
                    if (conditional.Else is { } otherwise)
                    {
                        CheckStatements(otherwise, scope, inModel);
                    }
                    returned = !inModel && Returns([statement]);
                    break;
                case AssertStatementSyntax assert:
                    CheckExpression(assert.Condition, scope);
                    break;
                case InputStatementSyntax input:
                    ModelOnly(inModel, statement, "input");
                    CheckType(input.Type, scope);
                    scope = scope.Add(input.Name.Name);
                    break;
                case OutputStatementSyntax output:
                    ModelOnly(inModel, statement, "output");
                    if (output.Type is { } type)
                    {
                        CheckType(type, scope);
                    }
                    CheckExpression(output.Value, scope);
                    scope = scope.Add(output.Name.Name);
                    break;
                case LossStatementSyntax loss:
                    ModelOnly(inModel, statement, "loss");
                    CheckExpression(loss.Value, scope);
                    break;
                case OptimizerStatementSyntax optimizer:
                    ModelOnly(inModel, statement, "optimizer");
                    CheckExpression(optimizer.Value, scope);
                    break;
            }
        }
    }

    private void CheckType(TypeSyntax type, ImmutableHashSet<string> scope)
    {
        foreach (var dimension in type.Dimensions ?? [])
        {
            CheckExpression(dimension, scope);
        }
    }

    private void CheckExpression(ExpressionSyntax expression, ImmutableHashSet<string> scope)
    {
        switch (expression)
        {
            case NameSyntax name:
                CheckName(name.Identifier, scope);
                break;
            case ParenthesizedSyntax paren:
                CheckExpression(paren.Inner, scope);
                break;
            case ListSyntax list:
                list.Elements.ToList().ForEach(e => CheckExpression(e, scope));
                break;
            case CallSyntax call:
                CheckExpression(call.Callee, scope);
                call.Arguments.ToList().ForEach(a => CheckExpression(a.Value, scope));
                break;
            case MemberSyntax member:
                CheckExpression(member.Target, scope);
                break;
            case IndexSyntax index:
                CheckExpression(index.Target, scope);
                index.Indices.ToList().ForEach(i => CheckExpression(i, scope));
                break;
            case SliceSyntax slice:
                new[] { slice.Start, slice.Stop, slice.Step }.OfType<ExpressionSyntax>().ToList().ForEach(p => CheckExpression(p, scope));
                break;
            case UnarySyntax unary:
                CheckExpression(unary.Operand, scope);
                break;
            case BinarySyntax binary:
                CheckExpression(binary.Left, scope);
                CheckExpression(binary.Right, scope);
                break;
            case SequenceSyntax sequence:
                CheckExpression(sequence.First, scope);
                CheckExpression(sequence.Second, scope);
                break;
            case ConditionalSyntax conditional:
                CheckExpression(conditional.Condition, scope);
                CheckExpression(conditional.WhenTrue, scope);
                CheckExpression(conditional.WhenFalse, scope);
                break;
            case BranchSyntax branch:
                CheckExpression(branch.Splitter, scope);
                branch.Branches.ToList().ForEach(b => CheckExpression(b, scope));
                CheckExpression(branch.Merge, scope);
                break;
            case RouteSyntax route:
                CheckExpression(route.Pre, scope);
                CheckExpression(route.Inner, scope);
                CheckExpression(route.Post, scope);
                break;
        }
    }

    private void CheckName(IdentifierSyntax identifier, ImmutableHashSet<string> scope)
    {
        var name = identifier.Name;
        if (name.Length == 0 || scope.Contains(name))
        {
            return;
        }
        var at = At(identifier.Span);
        switch (NameLookup.Lookup(module, name))
        {
            case LookupResult.NotFound:
                var suggestion = Suggestions.Closest(name, scope.Concat(NameLookup.VisibleNames(module)
                    .Where(n => NameLookup.Lookup(module, n) is not LookupResult.Declaration { Symbol: ModelSymbol })));
                diagnostics.Add(NameDiagnostics.UnknownName(at, name, suggestion));
                break;
            case LookupResult.Ambiguous ambiguous:
                diagnostics.Add(NameDiagnostics.AmbiguousName(at, name, ambiguous.First.Module.ToString(), ambiguous.Second.Module.ToString()));
                break;
        }
    }

    // A statement list returns when a statement in it does, or an if/else whose branches both do.
    private static bool Returns(ImmutableArray<StatementSyntax> statements) =>
        statements.Any(s => s switch
        {
            ReturnStatementSyntax => true,
            IfStatementSyntax { Else: { } otherwise } conditional => Returns(conditional.Then) && Returns(otherwise),
            _ => false,
        });

    private void ModelOnly(bool inModel, StatementSyntax statement, string keyword)
    {
        if (!inModel)
        {
            diagnostics.Add(ModelDiagnostics.ModelOnlyStatement(At(KeywordSpan(statement.Span, keyword)), keyword));
        }
    }

    private void Report(Location at, Func<Location, string, Diagnostic> make, string name) => diagnostics.Add(make(at, name));

    private Location NameAt(IdentifierSyntax name) => At(name.Span);

    private Location At(TextSpan span) => module.Tree.GetLocation(span);

    private static TextSpan KeywordSpan(TextSpan statement, string keyword) => new(statement.Start, keyword.Length);
}
