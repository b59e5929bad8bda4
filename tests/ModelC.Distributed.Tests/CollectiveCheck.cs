using System.Globalization;

namespace ModelC.Distributed.Tests;

/// <summary>
/// The program every rank runs in <see cref="CollectiveTests"/> (<c>mpirun -np N dotnet
/// ModelC.Distributed.Tests.dll</c>): it joins the world and checks each collective's result
/// against what the ranks' inputs make it, printing one line per rank, and exits 1 on a mismatch.
/// </summary>
public static class CollectiveCheck
{
    /// <summary>Runs the checks; the exit code is 0 when every one held.</summary>
    public static int Main()
    {
        using var world = MpiLaunch.Join();
        var (rank, size) = (world.Rank, world.Size);
        var problems = new List<string>();

        // Rank r contributes r + 1 + i at index i: the sum is size(size+1)/2 + size·i.
        var values = Enumerable.Range(0, 1000).Select(i => (float)(rank + 1 + i)).ToArray();
        world.AllreduceSum(values);
        if (Enumerable.Range(0, values.Length).Any(i => values[i] != size * (size + 1) / 2 + size * i))
        {
            problems.Add("allreduce");
        }

        var root = size - 1;
        var floats = Enumerable.Range(0, 10).Select(i => rank == root ? i * 0.5f : -1f).ToArray();
        world.Broadcast(floats, root);
        if (Enumerable.Range(0, floats.Length).Any(i => floats[i] != i * 0.5f))
        {
            problems.Add("broadcast of floats");
        }

        byte[] bytes = rank == 0 ? [1, 2, 3] : [0, 0, 0];
        world.Broadcast(bytes);
        if (!bytes.SequenceEqual(new byte[] { 1, 2, 3 }))
        {
            problems.Add("broadcast of bytes");
        }
        world.Barrier();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rank {rank} of {size}: {(problems.Count == 0 ? "ok" : "wrong " + string.Join(", ", problems))}"));
        return problems.Count == 0 ? 0 : 1;
    }
}
