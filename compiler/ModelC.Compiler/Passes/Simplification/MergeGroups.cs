using System.Collections.Immutable;
using ModelC.Compiler.IR;

namespace ModelC.Compiler.Passes.Simplification;

/// <summary>
/// How a reshape that only merges axes maps its result onto its source: for each result axis,
/// the run of consecutive source axes it is the row-major merge of (a symbolic axis stays alone).
/// </summary>
internal static class MergeGroups
{
    /// <summary>
    /// The source axes of each axis of <paramref name="to"/> when viewing <paramref name="from"/>
    /// as <paramref name="to"/> merges runs of axes and at least one run has two or more; else null
    /// (a split, a shape with empty axes, or a reshape that changes nothing).
    /// </summary>
    public static ImmutableArray<ImmutableArray<int>>? Of(Shape from, Shape to)
    {
        var groups = ImmutableArray.CreateBuilder<ImmutableArray<int>>(to.Rank);
        var next = 0;
        foreach (var dim in to.Dims)
        {
            if (next >= from.Rank)
            {
                return null;
            }
            if (!dim.IsFixed)
            {
                if (from[next] != dim)
                {
                    return null;
                }
                groups.Add([next++]);
                continue;
            }
            var group = ImmutableArray.CreateBuilder<int>();
            var product = 1L;
            do
            {
                if (next >= from.Rank || !from[next].IsFixed || from[next].FixedSize == 0)
                {
                    return null;
                }
                product *= from[next].FixedSize;
                group.Add(next++);
            }
            while (product < dim.FixedSize);
            if (product != dim.FixedSize)
            {
                return null;
            }
            groups.Add(group.ToImmutable());
        }
        return next == from.Rank && groups.Any(g => g.Length > 1) ? groups.MoveToImmutable() : null;
    }
}
