namespace ModelC.Compiler.Text;

/// <summary>How serious a diagnostic is: errors stop compilation, warnings do not.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Worth knowing; compilation goes on.</summary>
    Warning,

    /// <summary>The program is invalid.</summary>
    Error,
}
