using ModelC.Compiler.Semantics;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Text;

namespace ModelC.Search.Programs;

/// <summary>What <c>modelc check</c> says of a candidate: its model elaborated, or the diagnostics that rejected it.</summary>
/// <param name="Model">The elaborated model; null when rejected.</param>
/// <param name="Errors">The error diagnostics, formatted as the command line prints them.</param>
public sealed record CandidateCheck(ElaboratedModel? Model, IReadOnlyList<string> Errors)
{
    /// <summary>Compiles <paramref name="candidate"/>'s source and elaborates its model in <paramref name="mode"/>, as <c>modelc check</c> does.</summary>
    public static CandidateCheck Run(CandidateProgram candidate, ExecutionMode mode)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var compilation = Compilation.FromSource($"{candidate.Hash}.mdl", candidate.Source);
        if (compilation.HasErrors)
        {
            return new CandidateCheck(null, ErrorsOf(compilation.Diagnostics));
        }
        var result = compilation.Elaborate(compilation.FindModel(CandidateProgram.ModelName)!, mode);
        return new CandidateCheck(result.Model, ErrorsOf(result.Diagnostics));
    }

    private static string[] ErrorsOf(IEnumerable<Diagnostic> diagnostics) => [.. diagnostics.Where(d => d.IsError).Select(DiagnosticFormatter.Format)];
}
