using System.CommandLine;

namespace ModelC.Cli;

/// <summary>The arguments and options that several commands share.</summary>
internal static class CommonOptions
{
    public static Argument<FileInfo> File() => new("file") { Description = "The .mdl file to compile." };

    public static Option<bool> Timings() => new("--timings")
    {
        Description = "Compile without the build and program caches' replay and print the wall time of each compile phase (parse, elaboration, each graph pass, " +
            "fusion planning, kernel IR, LLVM IR, optimisation and code generation, link, load) and the kernels that cost LLVM the most.",
    };

    public static Option<string?> Model() => new("--model", "-m") { Description = "The model to use (default: every model in the file)." };

    public static Option<string[]> Define() => new("--define", "-D")
    {
        Description = "Set a model parameter: -D name=value (an int, float, bool or padding mode). Repeatable.",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<int> MaxDepth() => new("--max-depth")
    {
        Description = "How deeply blocks may instantiate blocks before recursion is reported.",
        DefaultValueFactory = _ => Compiler.Semantics.Elaboration.CompilationOptions.DefaultMaxDepth,
    };

    public static Option<DirectoryInfo?> Stdlib() => new("--stdlib") { Description = "Use this folder as the standard library (std.*)." };

    public static Option<string> DiagnosticFormat() => new("--diagnostic-format")
    {
        Description = "How errors are printed: 'text' (with the source line and a caret) or 'msbuild' (file(line,col): error CODE: message, which MSBuild and IDEs place in the file).",
        DefaultValueFactory = _ => "text",
    };

    /// <summary>How many errors are printed before the rest are only counted (as clang's -ferror-limit, 20 by default).</summary>
    public static Option<int> MaxErrors() => new("--max-errors")
    {
        Description = "How many errors to print; the rest are counted in one closing line.",
        DefaultValueFactory = _ => 20,
    };

    public static Option<string> Mode(string defaultMode = "auto") => new("--mode")
    {
        Description = "Which graph: 'train' (with the loss and state updates), 'infer', 'eval' (the loss as inference computes it) or 'auto' (train when the model has a loss).",
        DefaultValueFactory = _ => defaultMode,
    };

    /// <summary><c>modelc run</c>'s and <c>train</c>'s <c>--profile-all</c>: every row of the profile's tables, not the 20 largest.</summary>
    public static Option<bool> ProfileAll() => new("--profile-all")
    {
        Description = "With --profile, list every kernel, op and layer instead of the 20 slowest of each (a train step has hundreds of kernels).",
    };

    /// <summary>The error for <c>--profile-all</c> without <c>--profile</c>.</summary>
    public const string ProfileAllNeedsProfile = "--profile-all lengthens the tables of --profile: give --profile too";

    /// <summary>Threads per kernel; null (not given) is resolved by <see cref="ThreadsOf"/>.</summary>
    public static Option<int?> Threads() => new("--threads", "-t") { Description = "Threads per kernel (default: the processor count)." };

    /// <summary>The threads asked for, at least 1; the processor count when not given.</summary>
    public static int ThreadsOf(int? given) => Math.Max(1, given ?? Environment.ProcessorCount);
}
