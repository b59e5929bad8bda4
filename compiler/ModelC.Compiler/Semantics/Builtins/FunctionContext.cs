using ModelC.Compiler.IR;
using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Builtins;

/// <summary>What a compile-time function sees: where it was called, the graph, and error reporting.</summary>
public sealed class FunctionContext
{
    private readonly ElaborationContext _context;

    private readonly Binding.BoundArguments _arguments;

    private readonly string? _scopeName;

    internal FunctionContext(ElaborationContext context, string name, Location site, Binding.BoundArguments arguments, string? scopeName = null)
    {
        _context = context;
        _scopeName = scopeName;
        Name = name;
        Site = site;
        _arguments = arguments;
    }

    /// <summary>The function's name.</summary>
    public string Name { get; }

    /// <summary>Where it was called.</summary>
    public Location Site { get; }

    /// <summary>The graph under construction (for conversions of tensors).</summary>
    public GraphBuilder Graph => _context.Graph;

    /// <summary>
    /// A free trainable tensor in the current scope, named after the <c>let</c> or output it is
    /// bound to (<c>{kind}_n</c> when unnamed), as PyTorch names an <c>nn.Parameter</c> attribute.
    /// </summary>
    public TensorValue Parameter(string kind, Shape shape, ParameterInit init) =>
        new(_context.Parameter(_context.Scopes.ReservePath(_scopeName, kind), TensorType.F32(shape), init));

    /// <summary>
    /// A name in the current scope for something the call makes, after the <c>let</c> or output it
    /// is bound to (<c>{kind}_n</c> when unnamed), reserved so that no later scope takes it.
    /// </summary>
    public string ReservePath(string kind) => _context.Scopes.ReservePath(_scopeName, kind);

    /// <summary>Reports an error about an argument (MC3008), at the argument, and returns the error value.</summary>
    public Value Fail(string argument, string complaint) =>
        _context.Report(ValueDiagnostics.InvalidArgument(_arguments.LocationOf(argument) ?? Site, argument, Name, complaint));

    /// <summary>Reports that an argument cannot be converted (MC3030), at the argument, and returns the error value.</summary>
    public Value FailConvert(string argument, string target) =>
        _context.Report(ValueDiagnostics.CannotConvert(_arguments.LocationOf(argument) ?? Site, _arguments[argument], target));
}
