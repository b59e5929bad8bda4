using ModelC.Compiler.IR;

namespace ModelC.Compiler.Passes;

/// <summary>
/// One step of the <see cref="GraphPipeline"/>: a named transformation from a graph to a new
/// graph. Graphs are immutable, so a pass builds a new one (or returns its input unchanged);
/// the pipeline verifies what it returns.
/// </summary>
public interface IGraphPass
{
    /// <summary>The short name that <c>modelc ir --after</c> and the pass records use, e.g. <c>cse</c>.</summary>
    string Name { get; }

    /// <summary>The transformed graph: <paramref name="graph"/> itself when there was nothing to do.</summary>
    Graph Run(Graph graph);
}
