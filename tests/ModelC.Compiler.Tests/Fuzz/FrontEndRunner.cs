using ModelC.Compiler.IR;
using ModelC.Compiler.Reports;
using ModelC.Compiler.Semantics;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Tests.Fuzz;

/// <summary>
/// Runs a source text through everything <c>modelc</c> does with it: compile, format every
/// diagnostic, and when there are no errors elaborate every model in both execution modes and
/// render the reports of the models that elaborate. Any exception is the fuzzer's finding.
/// </summary>
internal static class FrontEndRunner
{
    /// <summary>What one run did, for statistics: how far the input got.</summary>
    public enum Reached
    {
        /// <summary>Compilation reported errors.</summary>
        CompileErrors,

        /// <summary>Compiled, but no model elaborated in either mode.</summary>
        ElaborationErrors,

        /// <summary>At least one model elaborated.</summary>
        Elaborated,

        /// <summary>Compiled without errors but declares no models.</summary>
        NoModels,
    }

    /// <summary>Graphs larger than this are not drawn: the Graphviz writer takes time quadratic in the graph.</summary>
    private const int GraphvizNodeLimit = 2_000;

    /// <summary>Runs the whole pipeline on the calling thread; exceptions propagate.</summary>
    public static Reached Run(string path, string source, CompilationOptions options)
    {
        var compilation = Compilation.FromSource(path, source, options);
        FormatAll(compilation.Diagnostics);
        if (compilation.HasErrors)
        {
            return Reached.CompileErrors;
        }
        if (compilation.Models.IsEmpty)
        {
            return Reached.NoModels;
        }
        var elaborated = false;
        foreach (var model in compilation.Models)
        {
            foreach (var mode in (ReadOnlySpan<ExecutionMode>)[ExecutionMode.Inference, ExecutionMode.Training])
            {
                var result = compilation.Elaborate(model, mode);
                FormatAll(result.Diagnostics);
                if (result.Model is { } done)
                {
                    elaborated = true;
                    _ = done.Graph.ParameterCount;
                    _ = GraphPrinter.Print(done.Graph);
                    _ = ModelSummary.Format(done);
                    if (done.Graph.Nodes.Length <= GraphvizNodeLimit)
                    {
                        _ = GraphvizWriter.Write(done);
                    }
                }
            }
        }
        return elaborated ? Reached.Elaborated : Reached.ElaborationErrors;
    }

    /// <summary>
    /// Runs <see cref="Run"/> on a thread of its own and waits at most <paramref name="timeout"/>.
    /// Returns the outcome, or the failure: an exception, or a description of the hang.
    /// </summary>
    public static (Reached? Outcome, string? Failure) RunGuarded(string path, string source, CompilationOptions options, TimeSpan timeout)
    {
        var task = Task.Factory.StartNew(() => Run(path, source, options), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            if (!task.Wait(timeout))
            {
                return (null, $"no result after {timeout.TotalSeconds:0} s (hang or runaway work)");
            }
            return (task.Result, null);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            return (null, e.InnerExceptions[0].ToString());
        }
    }

    private static void FormatAll(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            _ = DiagnosticFormatter.Format(diagnostic);
        }
    }
}
