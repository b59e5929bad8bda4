using ModelC.Compiler.IR;
using ModelC.Runtime;

namespace ModelC.Compiler.Interpreter;

/// <summary>
/// Which doubles stand for values of each element type: i32 tensors hold integers in the i32
/// range, bool tensors hold 0 or 1, f32 tensors anything (the reference keeps double precision).
/// </summary>
internal static class ElementValues
{
    /// <summary>The index of the first element that <paramref name="dtype"/> cannot hold, or −1.</summary>
    public static int FirstInvalid(ElementType dtype, HostTensor value)
    {
        if (dtype == ElementType.F32)
        {
            return -1;
        }
        var data = value.Data;
        for (var i = 0; i < data.Length; i++)
        {
            var v = data[i];
            var valid = dtype == ElementType.Bool
                ? v is 0.0 or 1.0
                : v == Math.Round(v) && v >= int.MinValue && v <= int.MaxValue;
            if (!valid)
            {
                return i;
            }
        }
        return -1;
    }
}
