namespace ModelC.Compiler.Semantics.Builtins;

/// <summary>
/// What an elementwise layer computes when it is called with one number instead of tensors:
/// <c>sqrt(16)</c> is the compile-time 4.0, <c>sqrt(x)</c> the elementwise layer.
/// <see cref="Domain"/> complains about an argument outside the function's domain.
/// </summary>
public sealed record NumberForm(Func<double, double> Apply, Func<double, string?>? Domain = null);
