using System.Collections.Immutable;
using ModelC.Compiler.Syntax;
using ModelC.Search.Space;

namespace ModelC.Search.Programs;

/// <summary>
/// A derivation as a syntax tree of the language: sequences as <c>&gt;&gt;</c> chains, branchings
/// as <c>branch … [ … ] merge …</c>, routings as <c>route … [ … ] …</c>, terminals as calls of
/// their built-ins. <see cref="SyntaxPrinter"/> writes it as source.
/// </summary>
public static class ArchitectureSyntax
{
    /// <summary>The module expression of <paramref name="node"/>.</summary>
    public static ExpressionSyntax Of(ArchitectureNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node switch
        {
            // Left-nested, so that the printer writes a flat chain a >> b >> c.
            SequentialNode s => Chain(s).Select(Of).Aggregate((a, b) => new SequenceSyntax(a, b, default)),
            BranchingNode b => new BranchSyntax(Call(b.Splitter), [.. b.Inners.Select(Of)], Call(b.Merge), default),
            RoutingNode r => new RouteSyntax(Call(r.Pre), Of(r.Inner), Post(r), default),
            ComputationNode c => Call(c.Terminal),
            _ => throw new ArgumentOutOfRangeException(nameof(node), node, "not a module of the grammar"),
        };
    }

    /// <summary>A name.</summary>
    public static NameSyntax Name(string name) => new(new IdentifierSyntax(name, default), default);

    /// <summary>A call with positional integer arguments, or a bare name without arguments.</summary>
    public static ExpressionSyntax Call(string name, IEnumerable<long> arguments)
    {
        ImmutableArray<ArgumentSyntax> list = [.. arguments.Select(a => new ArgumentSyntax(null, new IntLiteralSyntax(a, default), default))];
        return list.IsEmpty ? Name(name) : new CallSyntax(Name(name), list, default);
    }

    private static ExpressionSyntax Call(Terminal terminal) => Call(terminal.Name, terminal.Arguments);

    private static IEnumerable<ArchitectureNode> Chain(ArchitectureNode node) =>
        node is SequentialNode s ? Chain(s.First).Concat(Chain(s.Second)) : [node];

    // A bare col2im restores the grid of its route's own im2col; any other grid is written out.
    private static ExpressionSyntax Post(RoutingNode route)
    {
        if (route.Post.Name != EinspaceTerminals.Col2ImName)
        {
            return Call(route.Post);
        }
        var grid = route.Inner.Output.Grid!.Value;
        var own = route.Pre.Name == EinspaceTerminals.Im2ColName ? route.Pre.Apply(route.Input)?.Outputs[0].Grid : null;
        return own == grid ? Name(EinspaceTerminals.Col2ImName) : Call(EinspaceTerminals.Col2ImName, [grid.Height, grid.Width]);
    }
}
