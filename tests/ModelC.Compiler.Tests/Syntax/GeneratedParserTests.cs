using System.Diagnostics;

namespace ModelC.Compiler.Tests.Syntax;

/// <summary>The committed ANTLR output must be exactly what antlr-ng makes from the grammar.</summary>
public sealed class GeneratedParserTests
{
    [Fact]
    public void CommittedParserMatchesTheGrammar()
    {
        var grammar = RepositoryPaths.Get("grammar");
        var fresh = Path.Combine(Path.GetTempPath(), "modelc-grammar-" + Guid.NewGuid().ToString("N"));
        try
        {
            var start = new ProcessStartInfo("bash", [Path.Combine(grammar, "generate.sh"), fresh])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"grammar/generate.sh failed (exit {process.ExitCode}); run `npm ci --prefix grammar` first.\n{errors}");

            var committed = Path.Combine(grammar, "Generated");
            var expectedFiles = Directory.GetFiles(fresh).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            var actualFiles = Directory.GetFiles(committed).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expectedFiles, actualFiles);
            foreach (var file in expectedFiles)
            {
                var stale = File.ReadAllText(Path.Combine(fresh, file!)) != File.ReadAllText(Path.Combine(committed, file!));
                Assert.False(stale, $"grammar/Generated/{file} is stale: run `bash grammar/generate.sh` and commit the result");
            }
        }
        finally
        {
            if (Directory.Exists(fresh))
            {
                Directory.Delete(fresh, recursive: true);
            }
        }
    }
}
