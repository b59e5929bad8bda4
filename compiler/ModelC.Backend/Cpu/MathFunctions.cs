using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// exp, log, tanh and erf for f32 as small branch-free LLVM functions, inlined where used so
/// the loop vectoriser can vectorise them (calls to libm's expf would stay scalar). Each is
/// accurate to a few ulp (well inside the backend's 1e-5 relative contract) and follows IEEE
/// special values: NaN propagates, exp(−∞) = 0, log(0) = −∞, log(x &lt; 0) = NaN.
/// sin, cos and pow are rare in networks and go to libm through LLVM intrinsics.
/// </summary>
internal sealed class MathFunctions(LlvmEmitter e)
{
    private readonly Dictionary<string, LLVMValueRef> _functions = [];

    public LLVMValueRef Exp(LLVMValueRef x) => CallUnary("modelc.exp", x, EmitExp);

    public LLVMValueRef Log(LLVMValueRef x) => CallUnary("modelc.log", x, EmitLog);

    public LLVMValueRef Tanh(LLVMValueRef x) => CallUnary("modelc.tanh", x, EmitTanh);

    public LLVMValueRef Erf(LLVMValueRef x) => CallUnary("modelc.erf", x, EmitErf);

    private LLVMValueRef CallUnary(string name, LLVMValueRef x, Func<LLVMValueRef, LLVMValueRef> body)
    {
        var type = e.FunctionType(e.F32, e.F32);
        if (!_functions.TryGetValue(name, out var function))
        {
            var caller = LLVM.GetInsertBlock(e.Builder);
            function = e.AddFunction(name, type);
            LLVM.SetLinkage(function, LLVMLinkage.Internal);
            e.AddFunctionAttribute(function, "alwaysinline");
            e.PositionAtEnd(e.AppendBlock(function, "entry"));
            LLVM.BuildRet(e.Builder, body(LLVM.GetParam(function, 0)));
            e.PositionAtEnd(caller);
            _functions[name] = function;
        }
        return e.Call(type, function, x);
    }

    private LLVMValueRef Fma(LLVMValueRef a, LLVMValueRef b, LLVMValueRef c) => e.CallIntrinsic("llvm.fma.f32", e.F32, a, b, c);

    private LLVMValueRef Polynomial(LLVMValueRef x, params double[] coefficientsHighFirst)
    {
        var p = e.Float(coefficientsHighFirst[0]);
        foreach (var c in coefficientsHighFirst.Skip(1))
        {
            p = Fma(p, x, e.Float(c));
        }
        return p;
    }

    private LLVMValueRef Abs(LLVMValueRef x) => e.CallIntrinsic("llvm.fabs.f32", e.F32, x);

    private LLVMValueRef CopySign(LLVMValueRef magnitude, LLVMValueRef sign) => e.CallIntrinsic("llvm.copysign.f32", e.F32, magnitude, sign);

    private LLVMValueRef PowerOfTwo(LLVMValueRef exponent) =>
        e.BitCast(e.Shl(e.Add(exponent, e.Int32(127)), e.Int32(23)), e.F32);

    // e^x = 2^n · e^r with n = round(x / ln 2) and |r| ≤ ln2/2 (Cody–Waite split of ln 2), e^r by
    // its degree-7 Taylor polynomial (error < 1e-8). 2^n is applied in two halves so that every
    // factor is a normal float and results underflow and overflow gradually.
    private LLVMValueRef EmitExp(LLVMValueRef x)
    {
        var nan = e.IsNaN(x);
        var clamped = e.Select(nan, e.Float(0), x);
        clamped = e.Select(e.FCmp(LLVMRealPredicate.OLT, clamped, e.Float(-104)), e.Float(-104), clamped);
        clamped = e.Select(e.FCmp(LLVMRealPredicate.OGT, clamped, e.Float(89)), e.Float(89), clamped);
        var (p, k) = ExpReduced(clamped);
        var half = e.AShr(k, e.Int32(1));
        var result = e.FMul(e.FMul(p, PowerOfTwo(half)), PowerOfTwo(LLVM.BuildSub(e.Builder, k, half, "")));
        return e.Select(nan, x, result);
    }

    // e^x = e^r · 2^k for a non-NaN x in [−104, 89]: the polynomial e^r and the integer k.
    private (LLVMValueRef P, LLVMValueRef K) ExpReduced(LLVMValueRef x)
    {
        var (r, k) = ReduceForExp(x);
        return (Fma(Fma(ExpTaylorTail(r), r, e.Float(1)), r, e.Float(1)), k);
    }

    // x = r + k·ln 2 with k = round(x / ln 2), |r| ≤ ln2/2 (Cody–Waite split of ln 2).
    private (LLVMValueRef R, LLVMValueRef K) ReduceForExp(LLVMValueRef x)
    {
        var n = e.CallIntrinsic("llvm.rint.f32", e.F32, e.FMul(x, e.Float(1.4426950408889634)));
        var r = Fma(n, e.Float(-0.693145751953125), x);
        r = Fma(n, e.Float(-1.4286068203094173e-6), r);
        return (r, LLVM.BuildFPToSI(e.Builder, n, e.I32, ""));
    }

    // (e^r − 1 − r)/r² by the degree-7 Taylor polynomial of e^r (error < 1e-8 for |r| ≤ ln2/2).
    private LLVMValueRef ExpTaylorTail(LLVMValueRef r) => Polynomial(r, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5);

    // ln x = e·ln 2 + ln m with m ∈ [√½, √2), and ln m = 2·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.172,
    // by its odd series to s⁹ (error < 1e-9). Subnormals are scaled up by 2²³ first.
    private LLVMValueRef EmitLog(LLVMValueRef x)
    {
        var subnormal = e.FCmp(LLVMRealPredicate.OLT, x, e.Float(1.1754943508222875e-38));
        var scaled = e.Select(subnormal, e.FMul(x, e.Float(8388608)), x);
        var bits = e.BitCast(scaled, e.I32);
        var exponent = e.Sub(e.And(e.LShr(bits, e.Int32(23)), e.Int32(0xFF)), e.Int32(127));
        exponent = e.Sub(exponent, e.Select(subnormal, e.Int32(23), e.Int32(0)));
        var m = e.BitCast(e.Or(e.And(bits, e.Int32(0x7FFFFF)), e.Int32(0x3F800000)), e.F32);
        var large = e.FCmp(LLVMRealPredicate.OGT, m, e.Float(1.4142135623730951));
        m = e.Select(large, e.FMul(m, e.Float(0.5)), m);
        exponent = e.Select(large, e.Add(exponent, e.Int32(1)), exponent);
        var f = e.FSub(m, e.Float(1));
        var s = e.FDiv(f, e.FAdd(f, e.Float(2)));
        var z = e.FMul(s, s);
        var series = e.FMul(s, Polynomial(z, 2.0 / 9, 2.0 / 7, 2.0 / 5, 2.0 / 3, 2));
        var result = Fma(e.SIToFP(exponent, e.F32), e.Float(0.6931471805599453), series);
        result = e.Select(e.FCmp(LLVMRealPredicate.OEQ, x, e.Float(0)), e.Float(double.NegativeInfinity), result);
        result = e.Select(e.FCmp(LLVMRealPredicate.OEQ, x, e.Float(double.PositiveInfinity)), x, result);
        result = e.Select(e.FCmp(LLVMRealPredicate.OLT, x, e.Float(0)), e.Float(double.NaN), result);
        return e.Select(e.IsNaN(x), x, result);
    }

    // tanh |x| = −m/(m + 2) with m = e^{−2|x|} − 1 = 2^k·q + 2^k − 1, q = e^r − 1 = r + r²·(…) and
    // the sign of x. Numerator and denominator are each one multiply-add of the exact 2^k·q, so
    // both round once and nothing cancels near 0 (no series branch); one divide, which at 8 or 16
    // lanes costs less than a reciprocal refined by dependent Newton steps. |x| is capped at 10,
    // where tanh is 1 in f32, so 2^k is a normal float; NaN takes the cap and is put back last.
    private LLVMValueRef EmitTanh(LLVMValueRef x)
    {
        var a = Abs(x);
        var capped = e.Select(e.FCmp(LLVMRealPredicate.OLT, a, e.Float(10)), a, e.Float(10));
        var (r, k) = ReduceForExp(e.FMul(capped, e.Float(-2)));
        var q = Fma(e.FMul(r, r), ExpTaylorTail(r), r);
        var scale = PowerOfTwo(k);
        var numerator = Fma(e.FNeg(scale), q, e.FSub(e.Float(1), scale));
        var denominator = Fma(scale, q, e.FAdd(scale, e.Float(1)));
        var result = CopySign(e.FDiv(numerator, denominator), x);
        return e.Select(e.IsNaN(x), x, result);
    }

    // |x| < 1: the Maclaurin series 2/√π Σ (−1)ⁿ x²ⁿ⁺¹/(n!(2n+1)) to n = 11 (error < 1e-9);
    // |x| ≥ 1: Abramowitz & Stegun 7.1.26 (absolute error 1.5e-7, relative ≤ 2e-7 there).
    private LLVMValueRef EmitErf(LLVMValueRef x)
    {
        var a = Abs(x);
        var z = e.FMul(x, x);
        var coefficients = new double[12];
        double factorial = 1;
        for (var n = 0; n < coefficients.Length; n++)
        {
            factorial *= Math.Max(1, n);
            coefficients[coefficients.Length - 1 - n] = (n % 2 == 0 ? 1 : -1) * 2 / Math.Sqrt(Math.PI) / (factorial * (2 * n + 1));
        }
        var small = e.FMul(x, Polynomial(z, coefficients));
        var t = e.FDiv(e.Float(1), Fma(a, e.Float(0.3275911), e.Float(1)));
        var tail = e.FMul(e.FMul(t, Polynomial(t, 1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)), Exp(e.FNeg(z)));
        var large = CopySign(e.FSub(e.Float(1), tail), x);
        return e.Select(e.FCmp(LLVMRealPredicate.OLT, a, e.Float(1)), small, large);
    }
}
