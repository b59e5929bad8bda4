namespace ModelC.DotNet;

/// <summary>Who sees the generated model classes (C#'s accessibility of the classes themselves; their members stay public).</summary>
public enum ClassVisibility
{
    /// <summary>Every assembly that references the one holding them (the default).</summary>
    Public,

    /// <summary>Only the assembly that holds them: a library can use a model without making it part of its API.</summary>
    Internal,
}
