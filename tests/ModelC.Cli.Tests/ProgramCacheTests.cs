using System.Globalization;
using System.Text.RegularExpressions;

namespace ModelC.Cli.Tests;

/// <summary>
/// The program cache of <c>modelc run</c>: a run whose sources and compile options are unchanged
/// loads the programs it compiled last time, without compiling; an edited source, another compile
/// option or a damaged entry misses; options that change only the run (seed, threads) still hit;
/// a run that fails after its compile keeps the programs it compiled.
/// </summary>
public sealed class ProgramCacheTests
{
    [Fact]
    public void UnchangedRunLoadsItsProgramsWithoutCompiling()
    {
        using var scratch = new ScratchFolder();
        var run = new PrivateRun(scratch);
        var first = run.Run();
        Assert.True(PrivateRun.Compiled(first) > 0, first.ToString());

        // Without the kernels' objects and libraries, only the program cache can run it without compiling.
        run.DeleteObjects();
        var warm = run.Run();
        Assert.Equal(0, PrivateRun.Compiled(warm));
        Assert.Equal(Timeless(first.Output), Timeless(warm.Output));

        // Batch and seed are not compile options.
        run.DeleteObjects();
        Assert.Equal(0, PrivateRun.Compiled(run.Run("--seed", "5", "--threads", "1")));
    }

    [Fact]
    public void EditedSourceOrOtherCompileOptionsMiss()
    {
        using var scratch = new ScratchFolder();
        var run = new PrivateRun(scratch);
        run.Run();

        run.DeleteObjects();
        Assert.True(PrivateRun.Compiled(run.Run("--mode", "train")) > 0);
        run.DeleteObjects();
        Assert.True(PrivateRun.Compiled(run.Run("-D", "width=9")) > 0);

        // A comment in an imported standard library file changes no kernel, but the run must not trust its record.
        File.AppendAllText(Path.Combine(run.Stdlib, "nn.mdl"), "\n// changed\n");
        run.DeleteObjects();
        Assert.True(PrivateRun.Compiled(run.Run()) > 0);
    }

    [Fact]
    public void DamagedEntryIsCompiledAgainAndReplaced()
    {
        using var scratch = new ScratchFolder();
        var run = new PrivateRun(scratch);
        run.Run();
        var entry = Assert.Single(Directory.EnumerateFiles(run.Cache, "*.build", SearchOption.AllDirectories));
        var bytes = File.ReadAllBytes(entry);
        bytes[^1] ^= 1;
        File.WriteAllBytes(entry, bytes);

        run.DeleteObjects();
        Assert.True(PrivateRun.Compiled(run.Run()) > 0);
        run.DeleteObjects();
        Assert.Equal(0, PrivateRun.Compiled(run.Run()));
    }

    [Fact]
    public void ARunThatFailsAfterCompilingKeepsItsPrograms()
    {
        using var scratch = new ScratchFolder();
        var run = new PrivateRun(scratch);
        // The checkpoint is missing: the run fails after the compile, whose programs are sound all the same.
        var failed = run.Invoke("--weights", Path.Combine(scratch.Path, "missing.safetensors"));
        Assert.NotEqual(0, failed.ExitCode);
        Assert.True(PrivateRun.Compiled(failed) > 0, failed.ToString());

        run.DeleteObjects();
        Assert.Equal(0, PrivateRun.Compiled(run.Run()));
    }

    private static string Timeless(string output) =>
        Regex.Replace(output, @"\d+ compiled, \d+ from the cache\) in [0-9.]+ s|[0-9.]+ ms", "");

    // A model no other test compiles, run as a process with a cache and standard library of its own.
    private sealed class PrivateRun
    {
        private readonly string _file;

        public PrivateRun(ScratchFolder scratch)
        {
            Cache = Path.Combine(scratch.Path, "cache");
            Stdlib = Path.Combine(scratch.Path, "stdlib");
            Directory.CreateDirectory(Stdlib);
            foreach (var file in Directory.EnumerateFiles(Modelc.Stdlib, "*.mdl"))
            {
                File.Copy(file, Path.Combine(Stdlib, Path.GetFileName(file)));
            }
            _file = scratch.Write("ran.mdl", """
                import std.nn;

                model Ran(B: batch, width: int = 5) {
                    input  x: f32[B, 17];
                    input  t: f32[B, 3];
                    output y = (linear(width) >> tanh >> linear(3))(x);
                    loss mse(y, t);
                    optimizer sgd(lr = 0.1);
                }
                """);
        }

        public string Cache { get; }

        public string Stdlib { get; }

        public CliResult Run(params string[] extra)
        {
            var result = Invoke(extra);
            Assert.True(result.ExitCode == 0, result.ToString());
            return result;
        }

        // The run, whatever its exit code.
        public CliResult Invoke(params string[] extra) =>
            ModelcProcess.Run(new Dictionary<string, string?> { ["MODELC_CACHE"] = Cache }, ["run", _file, "--stdlib", Stdlib, "-r", "1", .. extra]);

        public static int Compiled(CliResult result)
        {
            var match = Regex.Match(result.Output, @"^Ran: compiled (the train step: )?\d+ kernels \(\d+ distinct: (?<compiled>\d+) compiled, \d+ from the cache\) in \d+\.\d s$", RegexOptions.Multiline);
            Assert.True(match.Success, result.ToString());
            return int.Parse(match.Groups["compiled"].Value, CultureInfo.InvariantCulture);
        }

        // Every kernel object and linked library of the cache; the program entries stay.
        public void DeleteObjects()
        {
            foreach (var file in Directory.EnumerateFiles(Cache, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".o", StringComparison.Ordinal) || f.EndsWith(".so", StringComparison.Ordinal)))
            {
                File.Delete(file);
            }
        }
    }
}
