using System.Collections.Immutable;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Syntax;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Symbols;

/// <summary>
/// Creates the symbols of a file's declarations, resolving parameter types and checking the
/// rules of declarations: unique names, known types, inputs only in dataflow blocks, one batch.
/// </summary>
internal static class DeclarationBinder
{
    public static void Bind(SourceModule module, DiagnosticBag diagnostics)
    {
        var declarations = ImmutableDictionary.CreateBuilder<string, DeclarationSymbol>();
        foreach (var syntax in module.Tree.Root.Declarations)
        {
            if (syntax.Name.Name.Length == 0)
            {
                continue;
            }
            DeclarationSymbol symbol = syntax switch
            {
                BlockDeclarationSyntax block => new BlockSymbol(module, block, Parameters(module, block.Parameters, block, diagnostics)),
                ModelDeclarationSyntax model => new ModelSymbol(module, model, Parameters(module, model.Parameters, model, diagnostics)),
                _ => new ConstSymbol(module, (ConstDeclarationSyntax)syntax),
            };
            if (symbol is ConstSymbol constant && constant.Syntax.Type is { } type)
            {
                ResolveType(module, type, diagnostics);
            }
            if (declarations.TryGetValue(symbol.Name, out var first))
            {
                diagnostics.Add(NameDiagnostics.DuplicateDeclaration(symbol.Location, symbol.Name, first.Location));
                continue;
            }
            declarations.Add(symbol.Name, symbol);
        }
        module.Declarations = declarations.ToImmutable();
    }

    private static ImmutableArray<ParameterSpec> Parameters(
        SourceModule module, ImmutableArray<ParameterSyntax> parameters, DeclarationSyntax owner, DiagnosticBag diagnostics)
    {
        var specs = new List<ParameterSpec>();
        var names = new HashSet<string>();
        var sawBatch = false;
        foreach (var parameter in parameters)
        {
            var at = module.Tree.GetLocation(parameter.Name.Span);
            if (!names.Add(parameter.Name.Name))
            {
                diagnostics.Add(NameDiagnostics.DuplicateParameter(at, parameter.Name.Name));
            }
            var type = ResolveType(module, parameter.Type, diagnostics) ?? ParameterType.Int;
            var typeAt = module.Tree.GetLocation(parameter.Type.Span);
            switch (type.Kind)
            {
                case ParameterKind.Tensor when parameter.Default is not null:
                    diagnostics.Add(ValueDiagnostics.TensorDefault(module.Tree.GetLocation(parameter.Default.Span)));
                    break;
                case ParameterKind.Tensor when owner is BlockDeclarationSyntax { IsPointFree: true } block:
                    diagnostics.Add(ValueDiagnostics.PointFreeTensorParameter(typeAt, block.Name.Name));
                    break;
                case ParameterKind.Tensor when owner is ModelDeclarationSyntax:
                    diagnostics.Add(ModelDiagnostics.TensorModelParameter(typeAt));
                    break;
                case ParameterKind.Batch when owner is not ModelDeclarationSyntax:
                    diagnostics.Add(ValueDiagnostics.BatchOutsideModel(typeAt));
                    break;
                case ParameterKind.Batch when parameter.Default is not null:
                    diagnostics.Add(ModelDiagnostics.BatchDefault(module.Tree.GetLocation(parameter.Default.Span)));
                    break;
                case ParameterKind.Batch when sawBatch:
                    diagnostics.Add(ModelDiagnostics.SecondBatchParameter(typeAt));
                    break;
                case ParameterKind.Batch:
                    sawBatch = true;
                    break;
            }
            specs.Add(new ParameterSpec(parameter.Name.Name, type, parameter.Default is not null || type.Kind == ParameterKind.Batch));
        }
        return [.. specs];
    }

    // Says why a written type is not a parameter type, as precisely as the spelling allows.
    private static Diagnostic TypeProblem(Location at, TypeSyntax syntax)
    {
        var name = syntax.Name.Name;
        var scalar = ParameterType.FromName(name, false);
        if (syntax.Dimensions is { IsEmpty: false } && IR.ElementTypeNames.TryParse(name) is not null)
        {
            return NameDiagnostics.TensorTypeParameter(at, name);
        }
        if (syntax.Dimensions is { IsEmpty: false } && scalar is not null)
        {
            return NameDiagnostics.TypeTakesNoDimensions(at, name);
        }
        if (syntax.Dimensions is { IsEmpty: true } && scalar is not null)
        {
            return NameDiagnostics.NoListType(at, name);
        }
        var known = Enum.GetNames<ParameterKind>().Select(k => k.ToLowerInvariant()).Where(k => k != "any");
        return NameDiagnostics.UnknownType(at, name, Suggestions.Closest(name, known));
    }

    private static ParameterType? ResolveType(SourceModule module, TypeSyntax syntax, DiagnosticBag diagnostics)
    {
        if (syntax.Name.Name.Length == 0)
        {
            return null;
        }
        var type = TypeResolver.Resolve(syntax);
        if (type is null)
        {
            diagnostics.Add(TypeProblem(module.Tree.GetLocation(syntax.Span), syntax));
        }
        return type;
    }
}
