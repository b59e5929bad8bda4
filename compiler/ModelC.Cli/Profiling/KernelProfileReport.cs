using System.Globalization;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Cli.Profiling;

/// <summary>
/// What <c>--profile</c> prints after the runs: the time of each kernel (in all, per run, share of
/// the runs' time) with its origin in the source, slowest first; then the same time grouped by
/// op and by layer scope. Each table shows its <see cref="Rows"/> largest rows and sums the rest,
/// or every row (<c>--profile-all</c>).
/// </summary>
internal static class KernelProfileReport
{
    /// <summary>Rows per table.</summary>
    public const int Rows = 20;

    private const string Columns = "  total ms    ms/run   share";

    /// <summary>Writes the profile of <paramref name="timings"/>, taken over runs of a model with <paramref name="kernels"/>.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="name">The model's name.</param>
    /// <param name="kernels">The model's kernels, in schedule order.</param>
    /// <param name="timings">Their timings.</param>
    /// <param name="allRows">Every row of each table instead of the <see cref="Rows"/> largest.</param>
    public static void Write(TextWriter output, string name, IReadOnlyList<KernelSpec> kernels, KernelTimings timings, bool allRows = false)
    {
        var limit = allRows ? int.MaxValue : Rows;
        var runs = Math.Max(1, timings.Runs);
        var total = timings.Total.TotalMilliseconds;
        var entries = kernels.Select((k, i) => new Entry(k, KernelOrigin.Parse(k.Description), timings.Of(i).TotalMilliseconds)).ToList();
        var inKernels = entries.Sum(e => e.Milliseconds);
        output.WriteLine(Invariant($"profile of {name}: {timings.Runs} runs, {total / runs:F3} ms per run{(timings.ThreadCpuTime ? " (thread CPU time)" : "")}; {Share(inKernels, total)} in its {kernels.Count} kernels, {Share(total - inKernels, total)} outside them (dispatch, parameter copies)"));

        output.WriteLine(Columns + "  kind  kernel                               origin");
        WriteRows(output, entries.Select(e => (e.Milliseconds, Label: Invariant($"{KindName(e.Kernel.Kind),-4}  {e.Kernel.Symbol,-35}  {e.Kernel.Description}"))),
            runs, total, limit, rest => Invariant($"      {rest} more kernels"));

        output.WriteLine("by op:");
        WriteGroups(output, entries, e => e.Kernel.Kind == KernelKind.Gemm && e.Origin.Op != "contract" ? "contract+" + e.Origin.Op : e.Origin.Op, runs, total, limit, "op");
        output.WriteLine("by layer:");
        WriteGroups(output, entries, e => e.Origin.Scope ?? "(outside layers)", runs, total, limit, "layer");
    }

    private static void WriteGroups(TextWriter output, List<Entry> entries, Func<Entry, string> key, int runs, double total, int limit, string what)
    {
        output.WriteLine(Columns + "  kernels  " + what);
        var groups = entries.GroupBy(key, StringComparer.Ordinal).Select(g => (Milliseconds: g.Sum(e => e.Milliseconds), Label: Invariant($"{g.Count(),7}  {g.Key}")));
        WriteRows(output, groups, runs, total, limit, rest => Invariant($"{"",7}  {rest} more {what}s"));
    }

    // The `limit` largest rows, slowest first (ties in their given order), then one line for the rest.
    private static void WriteRows(TextWriter output, IEnumerable<(double Milliseconds, string Label)> rows, int runs, double total, int limit, Func<int, string> rest)
    {
        var sorted = rows.OrderByDescending(r => r.Milliseconds).ToList();
        foreach (var (milliseconds, label) in sorted.Take(limit))
        {
            output.WriteLine(Line(milliseconds, runs, total, label));
        }
        if (sorted.Count > limit)
        {
            output.WriteLine(Line(sorted.Skip(limit).Sum(r => r.Milliseconds), runs, total, rest(sorted.Count - limit)));
        }
    }

    private static string Line(double milliseconds, int runs, double total, string label) =>
        Invariant($"  {milliseconds,8:F3}  {milliseconds / runs,8:F3}  {Share(milliseconds, total),6}  {label}");

    private static string Share(double part, double total) => Invariant($"{(total > 0 ? 100 * part / total : 0):F1}%");

    private static string KindName(KernelKind kind) => kind switch
    {
        KernelKind.Map => "map",
        KernelKind.Gemm => "gemm",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no name for this kernel kind"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Entry(KernelSpec Kernel, KernelOrigin Origin, double Milliseconds);
}
