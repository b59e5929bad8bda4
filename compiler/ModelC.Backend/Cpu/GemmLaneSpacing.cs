using ModelC.Backend.Kernels;

namespace ModelC.Backend.Cpu;

/// <summary>
/// How many elements apart a gathered operand's neighbouring lanes can read, known before run
/// time: the gathering pack (<see cref="GemmPacking"/>) fills a panel with vector loads when
/// every vector's lanes read elements one apart, with pairs of loads when two apart, and with
/// gathers otherwise, so a fill whose spacing no pair of neighbours can have is not emitted.
/// Neighbouring lanes hold consecutive flat positions over the panel's loops: the innermost loop
/// steps by one, or some inner loops wrap to zero and the loop outside them steps, which moves
/// the address by that loop's stride less what the wrapped loops had added.
/// </summary>
internal static class GemmLaneSpacing
{
    /// <summary>
    /// The address differences, in elements, between neighbouring positions of
    /// <paramref name="across"/> (outermost first) that <paramref name="load"/> can have; null
    /// when a stride, or the extent of a loop inside another, is not a constant.
    /// </summary>
    public static IReadOnlySet<long>? Between(Load load, IReadOnlyList<Loop> across, IReadOnlyList<string> symbols)
    {
        var spacings = new HashSet<long>();
        // What the loops inside the current one add at their last positions, which a carry into it takes back.
        long wrapped = 0;
        for (var i = across.Count - 1; i >= 0; i--)
        {
            if (GemmOperandAccess.Stride(load, across[i].Var, symbols) is not IndexConst { Value: var stride })
            {
                return null;
            }
            if (i == 0)
            {
                // The outermost loop is not split by its extent: it steps whenever the inner ones wrap.
                spacings.Add(stride - wrapped);
                break;
            }
            if (across[i].Extent is not IndexConst { Value: var extent })
            {
                return null;
            }
            // A loop of one position never steps without wrapping.
            if (extent > 1)
            {
                spacings.Add(stride - wrapped);
            }
            wrapped += (extent - 1) * stride;
        }
        return spacings;
    }
}
