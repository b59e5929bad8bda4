using System.Globalization;
using System.Text;
using ModelC.Compiler.Interpreter;

namespace ModelC.Compiler.Tests;

/// <summary>
/// Compares computed tensors with references. Shapes must be equal. Element <c>a</c> (actual)
/// matches <c>e</c> (expected) when
/// <list type="bullet">
/// <item>both are NaN, or</item>
/// <item><c>a == e</c> (so infinities must match exactly, and 0 matches −0), or</item>
/// <item>both are finite and <c>|a − e| ≤ rtol · max(|e|, 1e-3 · M)</c>, where <c>M</c> is the largest
/// finite <c>|e|</c> in the whole expected tensor.</item>
/// </list>
/// The floor <c>1e-3 · M</c> keeps elements that cancel to nearly zero (sums of mixed signs) from
/// demanding more relative accuracy than their neighbours; it is 0 for an all-zero reference, which
/// must then be matched exactly. A caller may give <c>M</c> instead (a scale shared by several tensors).
/// </summary>
internal static class TensorAssert
{
    /// <summary>The relative tolerance for float64 kernels against a float64 reference.</summary>
    public const double DefaultRelativeTolerance = 1e-9;

    /// <summary>The fraction of the largest expected magnitude below which errors are judged against that magnitude instead.</summary>
    public const double FloorFraction = 1e-3;

    /// <summary>Fails unless <paramref name="actual"/> matches <paramref name="expected"/> within <paramref name="relativeTolerance"/> (with the floor at <paramref name="floorFraction"/> of the largest magnitude).</summary>
    public static void Close(HostTensor expected, HostTensor actual, double relativeTolerance = DefaultRelativeTolerance, string? context = null, double floorFraction = FloorFraction, double? magnitude = null)
    {
        if (Mismatch(expected, actual, relativeTolerance, floorFraction, magnitude) is { } message)
        {
            Assert.Fail((context is null ? "" : context + ": ") + message);
        }
    }

    /// <summary>Fails unless the tensors are equal element for element (NaN equals NaN); for i32 and bool results.</summary>
    public static void Equal(HostTensor expected, HostTensor actual, string? context = null) =>
        Close(expected, actual, relativeTolerance: 0.0, context);

    /// <summary>A description of how the tensors differ under the rule above, or null when they match.</summary>
    public static string? Mismatch(HostTensor expected, HostTensor actual, double relativeTolerance, double floorFraction = FloorFraction, double? magnitude = null)
    {
        if (!expected.Shape.SequenceEqual(actual.Shape))
        {
            return $"shape {HostTensor.FormatShape(actual.Shape)}, expected {HostTensor.FormatShape(expected.Shape)}";
        }
        var e = expected.Data;
        var a = actual.Data;
        var floor = floorFraction * (magnitude ?? LargestMagnitude(expected));

        var report = new StringBuilder();
        var failures = 0;
        for (var i = 0; i < e.Length; i++)
        {
            var allowed = relativeTolerance * Math.Max(Math.Abs(e[i]), floor);
            var matches = (double.IsNaN(e[i]) && double.IsNaN(a[i])) || a[i] == e[i]
                || (double.IsFinite(a[i]) && double.IsFinite(e[i]) && Math.Abs(a[i] - e[i]) <= allowed);
            if (matches)
            {
                continue;
            }
            if (++failures <= 5)
            {
                report.Append(CultureInfo.InvariantCulture,
                    $"\n  at {FormatIndex(i, expected.Shape)}: got {Format(a[i])}, expected {Format(e[i])} (|diff| {Format(Math.Abs(a[i] - e[i]))}, allowed {Format(allowed)})");
            }
        }
        return failures == 0 ? null : $"{failures} of {e.Length} element(s) differ (rtol {Format(relativeTolerance)}):{report}";
    }

    /// <summary>The largest finite |e| of the tensor (0 if none).</summary>
    public static double LargestMagnitude(HostTensor tensor)
    {
        var largest = 0.0;
        foreach (var v in tensor.Data)
        {
            if (double.IsFinite(v))
            {
                largest = Math.Max(largest, Math.Abs(v));
            }
        }
        return largest;
    }

    private static string FormatIndex(int flat, IReadOnlyList<int> shape)
    {
        var index = new int[shape.Count];
        for (var axis = shape.Count - 1; axis >= 0; axis--)
        {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return HostTensor.FormatShape(index);
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
