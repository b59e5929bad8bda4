using System.Diagnostics;
using ModelC.Runtime.Files;

namespace ModelC.Runtime.Tests.Files;

public sealed class RegularFileTests
{
    // Linux reads the type with statx, other Unix systems with the runtime's portable stat: both must agree here.
    [Fact]
    public void TheFallbackOffLinuxReadsTheSameFileTypesAsStatx()
    {
        using var dir = new TempDirectory();
        var file = dir.File("data.npy");
        File.WriteAllBytes(file, [1, 2, 3]);
        var fifo = dir.File("fifo.npy");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        foreach (var (path, type) in new[] { (file, 0x8000), (fifo, 0x1000), ("/dev/zero", 0x2000), (dir.Path, 0x4000) })
        {
            Assert.Equal(type, RegularFile.ModeFromStatx(path) & 0xF000);
            Assert.Equal(type, RegularFile.ModeFromRuntime(path) & 0xF000);
        }
        Assert.Null(RegularFile.ModeFromRuntime(dir.File("missing")));
        Assert.Null(RegularFile.Problem(file));
        Assert.Equal("it is a FIFO, not a regular file", RegularFile.Problem(fifo));
    }
}
