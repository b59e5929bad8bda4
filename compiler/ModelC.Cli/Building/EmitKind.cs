namespace ModelC.Cli.Building;

/// <summary>What <c>modelc build</c> writes.</summary>
internal enum EmitKind
{
    /// <summary>Per model, <c>libNAME.so</c> and <c>NAME.manifest.json</c>, for <c>modelc run DIR</c> and the runtime's loader.</summary>
    Native,

    /// <summary>The native files, and <c>STEM.dll</c> (with its XML docs and <c>ModelC.Runtime.dll</c>): a class per model for .NET apps.</summary>
    Assembly,

    /// <summary><c>stem.g.cs</c> and <c>stem.modelc</c>, for a project to compile and embed (what the MSBuild package uses).</summary>
    Source,
}
