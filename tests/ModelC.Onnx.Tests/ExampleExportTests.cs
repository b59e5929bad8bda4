using ModelC.Compiler.Semantics;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Tests;
using ModelC.Compiler.Text;

namespace ModelC.Onnx.Tests;

/// <summary>Every example model, exported and run by ONNX Runtime, computes what ModelC computes.</summary>
public sealed class ExampleExportTests
{
    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var path in Directory.GetFiles(RepositoryPaths.Get("examples"), "*.mdl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (var model in Compilation.Load(path, CompilerDriver.Options).Models)
            {
                data.Add(Path.GetRelativePath(RepositoryPaths.Root, path), model.Name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void ExportMatchesTheCompiledModel(string file, string model)
    {
        var compilation = Compilation.Load(RepositoryPaths.Get(file), CompilerDriver.Options);
        var result = compilation.Elaborate(compilation.FindModel(model)!, ExecutionMode.Inference, null);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Select(DiagnosticFormatter.Format)));
        ForwardComparison.ExportAndCompare(result.Model!);
    }
}
