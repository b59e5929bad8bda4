using ModelC.Backend.Driver;

namespace ModelC.Cli;

/// <summary>
/// A compile's progress redrawn in place on a terminal (<c>Mlp: compiling kernels 12/49</c>), and
/// erased when the last kernel is done, so that only the summary line stays. Nothing when the
/// output is a file or a pipe, where the summary line says it all.
/// </summary>
internal sealed class CompileProgressLine(TextWriter writer, string label) : IProgress<CompileProgress>
{
    private const string ClearToEndOfLine = "\u001b[K";
    private readonly Lock _lock = new();

    /// <summary>A progress line on <paramref name="writer"/> when it is the terminal's standard error, else null.</summary>
    public static CompileProgressLine? On(TextWriter writer, string label) =>
        ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected ? new CompileProgressLine(writer, label) : null;

    /// <inheritdoc/>
    public void Report(CompileProgress value)
    {
        lock (_lock)
        {
            writer.Write(value.Done < value.Total ? $"\r{label}: compiling kernels {value.Done}/{value.Total}{ClearToEndOfLine}" : $"\r{ClearToEndOfLine}");
            writer.Flush();
        }
    }
}
