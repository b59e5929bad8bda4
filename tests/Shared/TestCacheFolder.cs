using System.Runtime.CompilerServices;

namespace ModelC.Tests;

/// <summary>
/// Points ModelC's cache folder (<c>MODELC_CACHE</c>: compiled objects, extracted kernel libraries)
/// at a fresh folder for the test run, before any test reads it, so that tests neither depend on
/// nor fill the user's cache; processes the tests start inherit it. Deleted when the run ends.
/// Linked into every test project that compiles or loads kernels.
/// </summary>
internal static class TestCacheFolder
{
    /// <summary>The run's cache folder.</summary>
    public static string Path { get; private set; } = "";

#pragma warning disable CA2255 // A test assembly must redirect the cache before any test touches it; xunit 2 has no assembly fixture for that.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Redirect()
    {
        Path = Directory.CreateTempSubdirectory("modelc-test-cache-").FullName;
        Environment.SetEnvironmentVariable("MODELC_CACHE", Path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A library still mapped by a process that outlives the run; the system's temp cleaner takes it.
            }
        };
    }
}
