using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelC.Backend.Artifacts;
using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Tests;

namespace ModelC.Training.Tests;

/// <summary>
/// Keeps "Training from C#" in docs/training.md true: its model is built as its <c>modelc build</c>
/// lines say, and its C# class is compiled as an app would (with the SDK's implicit usings) and
/// run; the model learns.
/// </summary>
public sealed class DocumentedExampleTests : IDisposable
{
    private const string Section = "## Training from C#";

    // What an SDK project with ImplicitUsings adds, which the example relies on like any app.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Threading.Tasks;
        """;

    private readonly TempDirectory _folder = new();

    [Fact]
    public void TheCSharpExampleCompilesAndTrainsTheDocumentedModel()
    {
        var (model, example) = Blocks();
        Build(model, ExecutionMode.Training, Path.Combine(_folder.Path, "built", "train"));
        Build(model, ExecutionMode.Evaluation, Path.Combine(_folder.Path, "built", "eval"));

        var train = Compile(example).GetType("SpiralTraining")!.GetMethod("Train")!;
        var result = (TrainingResult)train.Invoke(null, [Path.Combine(_folder.Path, "built"), Path.Combine(_folder.Path, "run")])!;

        var epochs = result.Report.Epochs;
        Assert.Equal(12, epochs.Count);
        Assert.True(epochs[^1].TrainLoss < 0.5 * epochs[0].TrainLoss, string.Join("\n", epochs));
        Assert.True(result.Report.Test!.Accuracy > 0.8, result.Report.Test.ToString());
        Assert.True(File.Exists(result.WeightsPath));
    }

    // The section's mdl and csharp blocks; the C# starts with a #line directive, so that the
    // compiler's errors name the line of docs/training.md.
    private static (string Model, string Example) Blocks()
    {
        var text = File.ReadAllText(RepositoryPaths.Get("docs", "training.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = text.IndexOf(Section, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/training.md has no section '{Section}'");
        Match Block(string language) => FencedBlock(language).Match(text, start) is { Success: true } m
            ? m
            : throw new InvalidOperationException($"the section '{Section}' of docs/training.md has no {language} block");
        var example = Block("csharp").Groups[1];
        var line = text.AsSpan(0, example.Index).Count('\n') + 1;
        return (Block("mdl").Groups[1].Value, $"#line {line} \"docs/training.md\"\n{example.Value}");
    }

    // modelc build FILE --mode MODE --emit native -o DIRECTORY, through the same compiler calls.
    private static void Build(string source, ExecutionMode mode, string directory)
    {
        var model = CompilerDriver.Elaborate(source, mode: mode);
        ArtifactWriter.Write(model.Name, ModelCompiler.Compile(model, CpuTarget.Host, new CompileOptions { Code = CodeForm.Library }).ToBundle(), directory);
    }

    private static Assembly Compile(string example)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat([typeof(TrainingSession).Assembly.Location, typeof(Data.Dataset).Assembly.Location, typeof(Runtime.Execution.ModelInstance).Assembly.Location])
            .Distinct()
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("TrainingExample",
            [CSharpSyntaxTree.ParseText(ImplicitUsings), CSharpSyntaxTree.ParseText(example)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(emitted.Success && problems.Count == 0, "the C# example of docs/training.md does not compile cleanly:\n" + string.Join("\n", problems));
        return Assembly.Load(image.ToArray());
    }

    private static Regex FencedBlock(string language) => new($"```{language}\n(.*?)```", RegexOptions.Singleline);

    public void Dispose() => _folder.Dispose();
}
