using System.Text.Json;

namespace ModelC.Cli.Tests;

/// <summary>The .NET runtime settings that the built <c>modelc</c> starts with (its runtimeconfig.json).</summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void TieredPgoIsOffBecauseItsInstrumentationSlowsShortCompiles()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "modelc.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.True(properties.TryGetProperty("System.Runtime.TieredPGO", out var pgo), "no System.Runtime.TieredPGO in " + path);
        Assert.False(pgo.GetBoolean());
    }
}
