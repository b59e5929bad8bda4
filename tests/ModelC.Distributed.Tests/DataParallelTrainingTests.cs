using System.Diagnostics;
using System.Globalization;

namespace ModelC.Distributed.Tests;

/// <summary>
/// <c>mpirun -np N modelc train</c>: the same losses as one process with the same global batch,
/// resuming with another rank count, one output, and a job whose rank dies ending with an error.
/// </summary>
public sealed class DataParallelTrainingTests(TrainingJobs jobs) : IClassFixture<TrainingJobs>
{
    // Float32 sums over the batch in another order (each rank's mean over its half, then the mean
    // of the two) round differently, by about 1e-7 of the loss at a step; Adam carries that into
    // the weights, and 20 steps measured at most 1.1e-6 of the loss. docs/distributed.md explains.
    private const double RelativeTolerance = 1e-4, AbsoluteTolerance = 1e-6;

    [MpiFact]
    public void TwoRanksGiveTheMlpsSingleProcessLosses()
    {
        var output = jobs.Output("mlp-2");
        var result = Mpirun.Run(2, jobs.Arguments("mlp", output));
        Assert.True(result.ExitCode == 0, result.ToString());
        AssertClose(jobs.SingleProcessLosses("mlp"), TrainingJobs.Losses(output));
        // Rank 0 alone reports.
        Assert.Single(result.Output.Split('\n'), l => l.StartsWith($"epoch {TrainingJobs.Steps}/{TrainingJobs.Steps}:", StringComparison.Ordinal));
    }

    [MpiFact]
    public void TwoRanksGiveMacaronsSingleProcessLosses()
    {
        var output = jobs.Output("macaron-2");
        var result = Mpirun.Run(2, jobs.Arguments("macaron", output));
        Assert.True(result.ExitCode == 0, result.ToString());
        AssertClose(jobs.SingleProcessLosses("macaron"), TrainingJobs.Losses(output));
    }

    [MpiFact]
    public void BucketSizesDoNotChangeTheLosses()
    {
        // A bucket per tensor (7: six gradients and the loss) and one bucket for all of them.
        double[] Losses(string bytes, int buckets)
        {
            var output = jobs.Output("mlp-buckets-" + bytes);
            var result = Mpirun.Run(2, jobs.Arguments("mlp", output, TrainingJobs.Steps, "--bucket-bytes", bytes));
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains($"{buckets} gradient buckets", result.Output, StringComparison.Ordinal);
            return TrainingJobs.Losses(output);
        }
        var perTensor = Losses("4", 7);
        AssertClose(jobs.SingleProcessLosses("mlp"), perTensor);
        // Two ranks' sums are a + b element for element, however the elements are grouped.
        Assert.Equal(perTensor, Losses("1000000000000", 1));
    }

    [MpiFact]
    public void OneRankIsTheFusedStepBitForBit()
    {
        var output = jobs.Output("mlp-1");
        var result = Mpirun.Run(1, jobs.Arguments("mlp", output));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(jobs.SingleProcessLosses("mlp"), TrainingJobs.Losses(output));
    }

    [MpiFact]
    public void ARunResumesWithAnotherRankCount()
    {
        var output = jobs.Output("mlp-resumed");
        var first = TrainingJobs.RunWithoutMpi(jobs.Arguments("mlp", output, TrainingJobs.Steps / 2));
        Assert.True(first.ExitCode == 0, first.ToString());
        var resumed = Mpirun.Run(2, jobs.Arguments("mlp", output, TrainingJobs.Steps, "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"after epoch {TrainingJobs.Steps / 2}", resumed.Output, StringComparison.Ordinal);
        AssertClose(jobs.SingleProcessLosses("mlp"), TrainingJobs.Losses(output));
    }

    [MpiFact]
    public void AKilledRankEndsTheJobAndLeavesTheLastCheckpoint()
    {
        var output = jobs.Output("mlp-killed");
        var clock = Stopwatch.StartNew();
        using var job = Mpirun.Start(2, jobs.Arguments("mlp", output, 100_000));
        var checkpoints = Path.Combine(output, "checkpoints");
        while (!File.Exists(Path.Combine(checkpoints, "epoch-0003.safetensors")) && !job.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            Thread.Sleep(100);
        }
        using var root = RankProcess(job.Id, 0);
        using var rank = RankProcess(job.Id, 1);
        rank.Kill();
        var killed = Stopwatch.StartNew();
        var result = Mpirun.Finish(job, killed, TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode != 0 && result.Elapsed < TimeSpan.FromSeconds(30), result.ToString());
        // The job has ended when rank 0, which holds the output folder's lock, has too: mpirun may
        // return while its ranks are still being torn down.
        Assert.True(root.WaitForExit(TimeSpan.FromSeconds(Math.Max(0, 30 - killed.Elapsed.TotalSeconds))), $"rank 0 still runs {killed.Elapsed.TotalSeconds:F1} s after rank 1 was killed");

        var last = Directory.GetFiles(checkpoints, "epoch-*.safetensors").Max(StringComparer.Ordinal)!;
        var epoch = int.Parse(Path.GetFileNameWithoutExtension(last)["epoch-".Length..], CultureInfo.InvariantCulture);
        var resumed = TrainingJobs.RunWithoutMpi(jobs.Arguments("mlp", output, epoch + 1, "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
    }

    [MpiFact]
    public void ABatchThatDoesNotDivideAmongTheRanksIsRefused()
    {
        var arguments = jobs.Arguments("mlp", jobs.Output("mlp-odd"));
        arguments[Array.IndexOf(arguments, "--batch") + 1] = "15";
        var result = Mpirun.Run(2, arguments);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--batch 15 does not divide among 2 MPI ranks", result.Error, StringComparison.Ordinal);
    }

    [MpiFact]
    public void AMissingLibraryIsOneError()
    {
        var result = Mpirun.Run(1, jobs.Arguments("mlp", jobs.Output("mlp-nolib")), new Dictionary<string, string> { ["MODELC_MPI"] = "/nonexistent/libmpi.so" });
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("modelc: error: launched by mpirun, but Open MPI is not installed or cannot be loaded", result.Error, StringComparison.Ordinal);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= RelativeTolerance * Math.Abs(expected[i]) + AbsoluteTolerance,
                $"step {i + 1}: {actual[i]} differs from the single process's {expected[i]}");
        }
    }

    // The process of rank `rank` among the descendants of mpirun (its environment names the rank).
    private static Process RankProcess(int mpirun, int rank)
    {
        foreach (var folder in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid) || !Descends(pid, mpirun))
            {
                continue;
            }
            try
            {
                if (File.ReadAllText(Path.Combine(folder, "environ")).Split('\0').Contains($"OMPI_COMM_WORLD_RANK={rank}"))
                {
                    return Process.GetProcessById(pid);
                }
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }
        throw new InvalidOperationException($"no process of rank {rank} under mpirun {mpirun}");
    }

    private static bool Descends(int pid, int ancestor)
    {
        while (pid > 1)
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid}/stat");
            }
            catch (IOException)
            {
                return false;
            }
            // "pid (name) state ppid …": the name may hold spaces, so read after its last ')'.
            pid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            if (pid == ancestor)
            {
                return true;
            }
        }
        return false;
    }
}
