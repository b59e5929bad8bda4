using System.Globalization;
using System.Text.RegularExpressions;
using ModelC.Backend.Driver;
using ModelC.Cli.Building;

namespace ModelC.Cli.Tests;

/// <summary>
/// The whole-build cache of <c>modelc build</c>: an unchanged build writes its recorded outputs
/// without compiling; any changed input misses; a damaged entry is rebuilt, never trusted.
/// </summary>
public sealed class BuildCacheTests
{
    private static readonly string[] Arguments = ["build", "x.mdl", "-o", "out"];
    private static readonly KeyValuePair<string, string>[] Environment = [KeyValuePair.Create("MODELC_LLVM", "libLLVM.so.19.1")];
    private static readonly string[] Targets = ["cpu x86-64-v3", "cpu x86-64-v4"];

    [Fact]
    public void RecordRoundTrips()
    {
        var record = SampleRecord();
        var read = BuildRecord.TryDeserialize(record.Serialize());
        Assert.NotNull(read);
        Assert.Equal(record.Serialize(), read.Serialize());
        Assert.Equal(record.Sources, read.Sources);
        Assert.Equal(record.Output, read.Output);
        Assert.Equal("warning\n", read.Error);
        Assert.Equal([1, 2, 3], read.StagedFiles.Single().Bytes);
    }

    [Fact]
    public void DamagedRecordIsNoRecord()
    {
        var bytes = SampleRecord().Serialize();
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Null(BuildRecord.TryDeserialize(bytes[..length]));
        }
        Assert.Null(BuildRecord.TryDeserialize([.. bytes, 0]));
        Assert.Null(BuildRecord.TryDeserialize([0xff, 0xff, 0xff, 0x7f, .. bytes[4..]]));
    }

    [Fact]
    public void KeyChangesWithEveryInputButTheSources()
    {
        var key = BuildCache.KeyOf(Arguments, "/work", Environment, "compiler 1", Targets);
        Assert.Equal(key, BuildCache.KeyOf(Arguments, "/work", Environment, "compiler 1", Targets));
        Assert.NotEqual(key, BuildCache.KeyOf([.. Arguments, "--mode", "train"], "/work", Environment, "compiler 1", Targets));
        Assert.NotEqual(key, BuildCache.KeyOf(["build", "x.mdl", "-o", "ou", "t"], "/work", Environment, "compiler 1", Targets));
        Assert.NotEqual(key, BuildCache.KeyOf(Arguments, "/elsewhere", Environment, "compiler 1", Targets));
        Assert.NotEqual(key, BuildCache.KeyOf(Arguments, "/work", [KeyValuePair.Create("MODELC_LLVM", "libLLVM-15.so.1")], "compiler 1", Targets));
        Assert.NotEqual(key, BuildCache.KeyOf(Arguments, "/work", [.. Environment, KeyValuePair.Create("CC", "clang")], "compiler 1", Targets));
        Assert.NotEqual(key, BuildCache.KeyOf(Arguments, "/work", Environment, "compiler 2", Targets));
        Assert.NotEqual(key, BuildCache.KeyOf(Arguments, "/work", Environment, "compiler 1", ["cpu x86-64-v3"]));
    }

    [Fact]
    public void CompilerIdentityHoldsTheModuleVersionOfEveryAssemblyBesideTheCommand()
    {
        foreach (var assembly in new[] { typeof(ModelcApp).Assembly, typeof(ModelCompiler).Assembly, typeof(Compiler.Semantics.Compilation).Assembly })
        {
            Assert.Contains($"{Path.GetFileName(assembly.Location)} {assembly.ManifestModule.ModuleVersionId:N}", BuildCache.CompilerIdentity, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void UnchangedBuildWritesItsOutputsWithoutCompilingAndAChangedSourceMisses()
    {
        using var scratch = new ScratchFolder();
        var build = new PrivateBuild(scratch);
        var first = build.Run();
        Assert.True(build.Compiled(first) > 0, first.ToString());
        var library = File.ReadAllBytes(build.Library);
        File.Delete(build.Library);

        // Without the kernels' objects, only the build cache can give the outputs without compiling.
        build.DeleteObjects();
        var warm = build.Run();
        Assert.Equal(0, build.Compiled(warm));
        Assert.Equal(library, File.ReadAllBytes(build.Library));
        Assert.Equal(Regex.Replace(first.Output, @"\d+ compiled, \d+ from the cache\) in [0-9.]+ s", ""), Regex.Replace(warm.Output, @"\d+ compiled, \d+ from the cache\) in [0-9.]+ s", ""));

        // A comment in an imported standard library file changes no kernel, but the build must not trust its record.
        File.AppendAllText(Path.Combine(build.Stdlib, "nn.mdl"), "\n// changed\n");
        build.DeleteObjects();
        var changed = build.Run();
        Assert.True(build.Compiled(changed) > 0, changed.ToString());
    }

    [Fact]
    public void DamagedEntryIsRebuiltAndReplaced()
    {
        using var scratch = new ScratchFolder();
        var build = new PrivateBuild(scratch);
        build.Run();
        var entry = Assert.Single(Directory.EnumerateFiles(build.Cache, "*.build", SearchOption.AllDirectories));
        var bytes = File.ReadAllBytes(entry);
        bytes[^1] ^= 1;
        File.WriteAllBytes(entry, bytes);

        build.DeleteObjects();
        var rebuilt = build.Run();
        Assert.True(build.Compiled(rebuilt) > 0, rebuilt.ToString());
        build.DeleteObjects();
        Assert.Equal(0, build.Compiled(build.Run()));
    }

    [Fact]
    public void ConcurrentBuildsLeaveOneSoundEntry()
    {
        using var scratch = new ScratchFolder();
        var build = new PrivateBuild(scratch);
        var running = new[] { build.Start(), build.Start() };
        foreach (var process in running)
        {
            var result = ModelcProcess.Wait(process);
            Assert.True(result.ExitCode == 0, result.ToString());
        }
        Assert.Single(Directory.EnumerateFiles(build.Cache, "*.build*", SearchOption.AllDirectories));
        build.DeleteObjects();
        Assert.Equal(0, build.Compiled(build.Run()));
    }

    private static BuildRecord SampleRecord() => new(
        [new SourceHash("/work/x.mdl", SourceHash.Of("model X {}"))],
        [new OutputPiece("X: compiled the forward pass: ", (3, 2)), new OutputPiece("X: 3 kernels -> out/libX.so\n", null)],
        "warning\n",
        [new RecordedFile("libX.so", [1, 2, 3])],
        [new RecordedFile("/work/x.deps", [])]);

    // A model no other test compiles, built as a process with a cache and standard library of its own.
    private sealed class PrivateBuild
    {
        private readonly string _file;
        private readonly string _output;

        public PrivateBuild(ScratchFolder scratch)
        {
            Cache = Path.Combine(scratch.Path, "cache");
            Stdlib = Path.Combine(scratch.Path, "stdlib");
            Directory.CreateDirectory(Stdlib);
            foreach (var file in Directory.EnumerateFiles(Modelc.Stdlib, "*.mdl"))
            {
                File.Copy(file, Path.Combine(Stdlib, Path.GetFileName(file)));
            }
            _file = scratch.Write("cached.mdl", """
                import std.nn;

                model Cached(B: batch) {
                    input  x: f32[B, 19];
                    output y = (linear(7) >> tanh)(x);
                }
                """);
            _output = Path.Combine(scratch.Path, "out");
        }

        public string Cache { get; }

        public string Stdlib { get; }

        public string Library => Path.Combine(_output, "libCached.so");

        public CliResult Run()
        {
            var result = ModelcProcess.Wait(Start());
            Assert.True(result.ExitCode == 0, result.ToString());
            return result;
        }

        public System.Diagnostics.Process Start() =>
            ModelcProcess.Start(new Dictionary<string, string?> { ["MODELC_CACHE"] = Cache }, "build", _file, "-o", _output, "--emit", "native", "--stdlib", Stdlib);

        public int Compiled(CliResult result)
        {
            var match = Regex.Match(result.Output, @"^Cached: compiled the forward pass for [^:]+: \d+ kernels \(\d+ distinct: (?<compiled>\d+) compiled, \d+ from the cache\) in \d+\.\d s$", RegexOptions.Multiline);
            Assert.True(match.Success, result.ToString());
            return int.Parse(match.Groups["compiled"].Value, CultureInfo.InvariantCulture);
        }

        // Every kernel object and linked library of the cache; the build entries stay.
        public void DeleteObjects()
        {
            foreach (var file in Directory.EnumerateFiles(Cache, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".o", StringComparison.Ordinal) || f.EndsWith(".so", StringComparison.Ordinal)))
            {
                File.Delete(file);
            }
        }
    }
}
