namespace ModelC.Distributed.Tests;

/// <summary>The binding's collectives across processes: <see cref="CollectiveCheck"/> on 1, 2 and 3 ranks.</summary>
public sealed class CollectiveTests
{
    [MpiFact]
    public void CollectivesCombineEveryRanksBuffers()
    {
        foreach (var ranks in new[] { 1, 2, 3 })
        {
            var result = Mpirun.Run(ranks, [Mpirun.Program("ModelC.Distributed.Tests.dll")]);
            Assert.True(result.ExitCode == 0, result.ToString());
            var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);
            Assert.Equal(Enumerable.Range(0, ranks).Select(r => $"rank {r} of {ranks}: ok"), lines);
        }
    }
}
