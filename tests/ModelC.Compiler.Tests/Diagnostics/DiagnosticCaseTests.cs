using ModelC.Compiler.Text;

namespace ModelC.Compiler.Tests.Diagnostics;

/// <summary>
/// Each file in Cases/ is an invalid (or warning-producing) program whose <c>//! line:col CODE message</c>
/// comments list exactly the diagnostics it must produce, in order of position. A test fails on
/// a missing, extra or different diagnostic.
/// </summary>
public sealed class DiagnosticCaseTests
{
    private const string Marker = "//! ";

    /// <summary>The case files (files under Cases/Imports are helpers that cases import).</summary>
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        var folder = RepositoryPaths.Get("tests", "ModelC.Compiler.Tests", "Diagnostics", "Cases");
        foreach (var file in Directory.GetFiles(folder, "*.mdl").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ProducesExactlyTheExpectedDiagnostics(string name)
    {
        var path = RepositoryPaths.Get("tests", "ModelC.Compiler.Tests", "Diagnostics", "Cases", name);
        var source = File.ReadAllText(path);
        var expected = source.Split('\n')
            .Select(l => l.TrimEnd('\r'))
            .Where(l => l.StartsWith(Marker, StringComparison.Ordinal))
            .Select(l => l[Marker.Length..])
            .ToList();
        Assert.NotEmpty(expected);
        var actual = CompilerDriver.Check(path, source)
            .Where(d => d.Location.Source.Path == path)
            .Select(Format)
            .ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void StandardLibraryPlacesAreNotes()
    {
        var path = RepositoryPaths.Get("tests", "ModelC.Compiler.Tests", "Diagnostics", "Cases", "value_assert_in_stdlib.mdl");
        var diagnostic = Assert.Single(CompilerDriver.Check(path, File.ReadAllText(path)));
        Assert.Equal(path, diagnostic.Location.Source.Path);
        var line = Array.FindIndex(File.ReadAllLines(RepositoryPaths.Get("stdlib", "nn.mdl")), l => l.Contains("assert d % heads", StringComparison.Ordinal)) + 1;
        Assert.Equal(new DiagnosticNote($"in the standard library at stdlib/nn.mdl:{line}:12", null), Assert.Single(diagnostic.Notes));
    }

    [Fact]
    public void ThereAreAtLeastSixtyCases() => Assert.True(Cases().Count >= 60, $"only {Cases().Count} diagnostic cases");

    private static string Format(Diagnostic d) => $"{d.Location.Start.Line}:{d.Location.Start.Column} {d.Code} {d.Message}";
}
