namespace ModelC.Distributed.Tests;

/// <summary>Outside <c>mpirun</c> nothing of MPI is loaded: the launch is read from the environment, and the job is one process.</summary>
public sealed class LaunchTests
{
    [Theory]
    [InlineData("OMPI_COMM_WORLD_SIZE", "2", true)]
    [InlineData("PMIX_RANK", "0", true)]
    [InlineData("OMPI_COMM_WORLD_SIZE", "", false)]
    [InlineData("PATH", "/usr/bin", false)]
    public void TheLaunchIsReadFromTheLaunchersVariables(string name, string value, bool detected)
    {
        Assert.Equal(detected, MpiLaunch.Detected(n => n == name ? value : null));
    }

    [Fact]
    public void OutsideMpirunTheJobIsOneProcess()
    {
        Assert.False(MpiLaunch.Detected());
        using var world = MpiLaunch.Join();
        Assert.IsType<SingleProcess>(world);
        Assert.Equal((0, 1), (world.Rank, world.Size));
    }

    [Fact]
    public void OneProcessKeepsEveryBuffer()
    {
        using var world = new SingleProcess();
        float[] values = [1.5f, -2f];
        world.AllreduceSum(values);
        world.Broadcast(values);
        byte[] bytes = [7];
        world.Broadcast(bytes);
        world.Barrier();
        Assert.Equal([1.5f, -2f], values);
        Assert.Equal([(byte)7], bytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => world.Broadcast(values, root: 1));
    }
}
