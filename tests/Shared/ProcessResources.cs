using System.Runtime.InteropServices;

namespace ModelC.Tests;

/// <summary>What the test process holds now: kernel worker threads, and native memory in use (Linux, glibc).</summary>
public static partial class ProcessResources
{
    /// <summary>The threads of kernel thread pools (named <c>modelc-kernel-N</c>) alive in this process.</summary>
    public static int KernelThreads() =>
        Directory.EnumerateDirectories("/proc/self/task")
            .Count(task => ReadOrEmpty(Path.Combine(task, "comm")).StartsWith("modelc-kernel", StringComparison.Ordinal));

    /// <summary>Bytes malloc has handed out and not had back, over all arenas and mmapped blocks.</summary>
    public static long NativeBytesInUse()
    {
        var info = MallInfo2();
        return (long)(info.Uordblks + info.Hblkhd);
    }

    /// <summary>The process's resident memory now (VmRSS), in bytes.</summary>
    public static long ResidentBytes() =>
        1024 * long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Collects until finalizers have run and the threads they stop have had time to exit.</summary>
    public static void CollectEverything()
    {
        for (var i = 0; i < 5; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(20);
        }
    }

    // A thread may exit between listing and reading.
    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallocInfo MallInfo2();

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallocInfo
    {
        public readonly nuint Arena;
        public readonly nuint Ordblks;
        public readonly nuint Smblks;
        public readonly nuint Hblks;
        public readonly nuint Hblkhd;
        public readonly nuint Usmblks;
        public readonly nuint Fsmblks;
        public readonly nuint Uordblks;
        public readonly nuint Fordblks;
        public readonly nuint Keepcost;
    }
}
