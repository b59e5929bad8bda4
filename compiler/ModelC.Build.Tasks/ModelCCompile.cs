using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ModelC.Build.Tasks;

/// <summary>
/// Runs <c>dotnet exec modelc.dll build …</c> for one <c>ModelC</c> item. modelc writes its
/// diagnostics in MSBuild's canonical form, which <see cref="ToolTask"/> logs as errors and
/// warnings at their place in the .mdl file; a failure that logged its errors adds no second,
/// generic "exited with code" error, and the task fails so that the build stops.
/// </summary>
public sealed class ModelCCompile : ToolTask
{
    /// <summary>The <c>dotnet</c> host that runs modelc.dll (the one running the build, as a rule).</summary>
    [Required]
    public string DotnetHost { get; set; } = "";

    /// <summary>Everything after the host: <c>exec "…/modelc.dll" build "net.mdl" -o …</c>, already quoted.</summary>
    [Required]
    public string Arguments { get; set; } = "";

    /// <inheritdoc/>
    protected override string ToolName => "modelc";

    /// <inheritdoc/>
    protected override string GenerateFullPathToTool() => DotnetHost;

    /// <inheritdoc/>
    protected override string GenerateCommandLineCommands() => Arguments;

    /// <summary>modelc's progress and summaries: shown only at detailed verbosity, as <c>Exec</c> with low importance did.</summary>
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Low;
}
