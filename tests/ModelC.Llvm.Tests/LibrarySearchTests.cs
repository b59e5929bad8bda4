namespace ModelC.Llvm.Tests;

/// <summary>How the loader answers when the configured or installed libLLVM is missing or wrong.</summary>
public sealed class LibrarySearchTests
{
    private const string Llvm14 = "/usr/lib/x86_64-linux-gnu/libLLVM-14.so.1";

    [Fact]
    public void AConfiguredPathThatDoesNotLoadIsNamed()
    {
        var error = Assert.Throws<LlvmNotFoundException>(() => LlvmLibrary.Load("/nonexistent/libLLVM.so", []));
        Assert.Equal("MODELC_LLVM names '/nonexistent/libLLVM.so', which cannot be loaded as a shared library.", error.Message);
    }

    [Fact]
    public void NoCandidateSaysWhatToInstall()
    {
        var error = Assert.Throws<LlvmNotFoundException>(() => LlvmLibrary.Load(null, ["/nonexistent/libLLVM-19.so.1"]));
        Assert.Equal("no LLVM 15–19 shared library was found. Install one, e.g. 'apt-get install libllvm19' (Debian/Ubuntu), "
            + "or set MODELC_LLVM to the path of libLLVM-N.so.", error.Message);
    }

    [Fact]
    public void ALibraryThatIsNotLlvmIsRefused()
    {
        var libc = "/lib/x86_64-linux-gnu/libc.so.6";
        Assert.True(File.Exists(libc), "expected glibc at the Debian path");
        var error = Assert.Throws<LlvmNotFoundException>(() => LlvmLibrary.Load(libc, []));
        Assert.Equal($"'{libc}' is not LLVM 15 or newer; ModelC needs LLVM 15–19.", error.Message);
    }

    [Fact]
    public void Llvm14IsRefused()
    {
        // The build image ships LLVM 14 beside 15 (clang-tidy uses it): the nearest wrong version.
        Assert.True(File.Exists(Llvm14), "expected the image's LLVM 14");
        var error = Assert.Throws<LlvmNotFoundException>(() => LlvmLibrary.Load(Llvm14, []));
        Assert.Equal($"'{Llvm14}' is not LLVM 15 or newer; ModelC needs LLVM 15–19.", error.Message);
    }
}
