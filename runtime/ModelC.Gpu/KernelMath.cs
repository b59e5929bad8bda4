using ILGPU;

namespace ModelC.Gpu.Runtime;

/// <summary>
/// The element functions GPU kernels call, with the semantics of the CPU backend's
/// (compiler/ModelC.Backend/Cpu/MathFunctions.cs, ExprEmitter.cs): exp, log, tanh and erf by the
/// same range reductions and polynomials (tanh without a divide, as there), so both backends
/// agree to rounding; NaN-propagating
/// max and min; the IR's integer division, power and saturating conversions. Plain arithmetic
/// that ILGPU compiles for any accelerator (sin, cos and pow come from ILGPU.Algorithms on a GPU).
/// </summary>
public static class KernelMath
{
    /// <summary>e^x: 2^n · e^r with n = rint(x / ln 2) and e^r by its degree-7 Taylor polynomial.</summary>
    public static float Exp(float x)
    {
        if (float.IsNaN(x))
        {
            return x;
        }
        var clamped = x < -104f ? -104f : x > 89f ? 89f : x;
        var (p, k) = ExpReduced(clamped);
        var half = k >> 1;
        return p * PowerOfTwo(half) * PowerOfTwo(k - half);
    }

    /// <summary>ln x = e·ln 2 + 2·atanh((m − 1)/(m + 1)), m ∈ [√½, √2).</summary>
    public static float Log(float x)
    {
        if (float.IsNaN(x))
        {
            return x;
        }
        if (x < 0f)
        {
            return float.NaN;
        }
        if (x == 0f)
        {
            return float.NegativeInfinity;
        }
        if (x == float.PositiveInfinity)
        {
            return x;
        }
        var subnormal = x < 1.1754943508222875e-38f;
        var bits = Interop.FloatAsInt(subnormal ? x * 8388608f : x);
        var exponent = (int)((bits >> 23) & 0xFFu) - 127 - (subnormal ? 23 : 0);
        var m = Interop.IntAsFloat((bits & 0x7FFFFFu) | 0x3F800000u);
        if (m > 1.41421356f)
        {
            m *= 0.5f;
            exponent++;
        }
        var f = m - 1f;
        var s = f / (f + 2f);
        var z = s * s;
        var series = s * ((((2f / 9 * z + 2f / 7) * z + 2f / 5) * z + 2f / 3) * z + 2f);
        return exponent * 0.693147181f + series;
    }

    /// <summary>
    /// tanh as the CPU computes it: near 0 the odd Taylor series to x¹³, elsewhere (1 − t)/(1 + t)
    /// with t = e^{−2|x|} (|x| capped at 10, where tanh is 1 in f32) and the sign of x. No divide:
    /// 1/(1 + t), in (½, 1], is a cubic fit refined by two Newton steps.
    /// </summary>
    public static float Tanh(float x)
    {
        var a = Math.Abs(x);
        // NaN fails the comparison and takes the series, which propagates it.
        if (!(a >= 0.35f))
        {
            var z = x * x;
            var p = 21844f / 6081075;
            p = p * z + -1382f / 155925;
            p = p * z + 62f / 2835;
            p = p * z + -17f / 315;
            p = p * z + 2f / 15;
            p = p * z + -1f / 3;
            return x * (p * z + 1f);
        }
        var (e, k) = ExpReduced((a < 10f ? a : 10f) * -2f);
        var t = e * PowerOfTwo(k);
        var d = t + 1f;
        var reciprocal = ((-0.2218108020400057f * d + 1.3308831897366988f) * d + -2.939105421358321f) * d + 2.8282954465669685f;
        for (var step = 0; step < 2; step++)
        {
            reciprocal = reciprocal * (1f - d * reciprocal) + reciprocal;
        }
        var large = (1f - t) * reciprocal;
        return x < 0f ? -large : large;
    }

    /// <summary>erf: the Maclaurin series for |x| &lt; 1, Abramowitz &amp; Stegun 7.1.26 beyond.</summary>
    public static float Erf(float x)
    {
        var a = Math.Abs(x);
        if (a < 1f)
        {
            var z = x * x;
            var p = -1.2290555301717926e-09f;
            p = p * z + 1.4807192815879218e-08f;
            p = p * z + -1.6365844691234924e-07f;
            p = p * z + 1.6462114365889246e-06f;
            p = p * z + -1.492565035840625e-05f;
            p = p * z + 0.00012055332981789664f;
            p = p * z + -0.0008548327023450852f;
            p = p * z + 0.005223977625442188f;
            p = p * z + -0.026866170645131252f;
            p = p * z + 0.11283791670955126f;
            p = p * z + -0.37612638903183754f;
            return x * (p * z + 1.1283791670955126f);
        }
        var t = 1f / (a * 0.3275911f + 1f);
        var tail = t * ((((1.061405429f * t + -1.453152027f) * t + 1.421413741f) * t + -0.284496736f) * t + 0.254829592f) * Exp(-(x * x));
        var large = 1f - tail;
        return x < 0f ? -large : float.IsNaN(x) ? x : large;
    }

    /// <summary>max(a, b), NaN from either side.</summary>
    public static float Max(float a, float b) => float.IsNaN(a) ? a : a > b ? a : b;

    /// <summary>min(a, b), NaN from either side.</summary>
    public static float Min(float a, float b) => float.IsNaN(a) ? a : a < b ? a : b;

    /// <summary>x² as a product.</summary>
    public static float Square(float x) => x * x;

    /// <summary>The sign of x: 1, −1, or 0 (for ±0 and NaN).</summary>
    public static float Sign(float x) => x > 0f ? 1f : x < 0f ? -1f : 0f;

    /// <summary>The sign of x: 1, −1 or 0.</summary>
    public static int Sign(int x) => x > 0 ? 1 : x < 0 ? -1 : 0;

    /// <summary>|x|, wrapping at the most negative value.</summary>
    public static int Abs(int x) => x < 0 ? unchecked(-x) : x;

    /// <summary>min(a, b).</summary>
    public static int Min(int a, int b) => a < b ? a : b;

    /// <summary>max(a, b).</summary>
    public static int Max(int a, int b) => a > b ? a : b;

    /// <summary>min(a, b) of indices.</summary>
    public static long Min(long a, long b) => a < b ? a : b;

    /// <summary>max(a, b) of indices.</summary>
    public static long Max(long a, long b) => a > b ? a : b;

    /// <summary>x^y for floats (x² exactly as a product is the generator's business).</summary>
    public static float Pow(float x, float y) => MathF.Pow(x, y);

    /// <summary>sin x.</summary>
    public static float Sin(float x) => MathF.Sin(x);

    /// <summary>cos x.</summary>
    public static float Cos(float x) => MathF.Cos(x);

    /// <summary>√x.</summary>
    public static float Sqrt(float x) => MathF.Sqrt(x);

    /// <summary>|x|.</summary>
    public static float Abs(float x) => Math.Abs(x);

    /// <summary>Integer division as the IR defines it: by 0 gives 0, by −1 negates (wrapping).</summary>
    public static int Divide(int x, int y) => y == 0 ? 0 : y == -1 ? unchecked(0 - x) : x / y;

    /// <summary>Integer power by squaring, wrapping; a negative exponent gives 0.</summary>
    public static int Power(int x, int y)
    {
        if (y < 0)
        {
            return 0;
        }
        var result = 1;
        var factor = x;
        for (var bit = 0; bit < 31; bit++)
        {
            if (((y >> bit) & 1) != 0)
            {
                result = unchecked(result * factor);
            }
            factor = unchecked(factor * factor);
        }
        return result;
    }

    /// <summary>A float to i32, truncating, saturating at the range's ends, NaN to 0.</summary>
    public static int ToInt32(float x) => float.IsNaN(x) ? 0 : x >= 2147483648f ? int.MaxValue : x <= -2147483648f ? int.MinValue : (int)x;

    /// <summary>A float to a 64-bit index, truncating, saturating, NaN to 0.</summary>
    public static long ToInt64(float x) => float.IsNaN(x) ? 0 : x >= 9.223372e18f ? long.MaxValue : x <= -9.223372e18f ? long.MinValue : (long)x;

    // e^x = p · 2^k for x in [−104, 89]: the degree-7 Taylor polynomial p of the reduced argument
    // (Cody–Waite split of ln 2), and the integer k.
    private static (float P, int K) ExpReduced(float x)
    {
        var n = Rint(x * 1.44269504f);
        var r = n * -0.693145751953125f + x;
        r = n * -1.4286068203094173e-6f + r;
        var p = 1f / 5040;
        p = p * r + 1f / 720;
        p = p * r + 1f / 120;
        p = p * r + 1f / 24;
        p = p * r + 1f / 6;
        p = p * r + 0.5f;
        p = p * r + 1f;
        p = p * r + 1f;
        return (p, (int)n);
    }

    // Round to nearest, ties to even, for |x| < 2^22: adding and taking away 1.5 · 2^23 leaves no fraction bits.
    private static float Rint(float x) => x + 12582912f - 12582912f;

    private static float PowerOfTwo(int exponent) => Interop.IntAsFloat((uint)((exponent + 127) << 23));
}
