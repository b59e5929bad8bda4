using ModelC.Compiler.IR;
using ModelC.Runtime.Manifest;

namespace ModelC.Compiler.Passes;

/// <summary>Settings of one <see cref="GraphPipeline"/> run.</summary>
public sealed record PipelineOptions
{
    /// <summary>The optimizer of the train step, instead of the model's declared one (or the default).</summary>
    public OptimizerSpec? Optimizer { get; init; }

    /// <summary>Called after each pass, once the graph it returned is verified, with the pass's record and that graph.</summary>
    public Action<PassRecord, Graph>? AfterPass { get; init; }
}
