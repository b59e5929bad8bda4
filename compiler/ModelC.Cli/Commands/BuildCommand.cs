using System.CommandLine;
using System.Diagnostics;
using ModelC.Backend.Artifacts;
using ModelC.Backend.Scheduling;
using ModelC.Compiler.Training;
using ModelC.Llvm;

namespace ModelC.Cli.Commands;

/// <summary><c>modelc build</c>: native kernels in a shared library plus a manifest, per model.</summary>
internal static class BuildCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var outputDirectory = new Option<DirectoryInfo>("--output", "-o") { Description = "The directory to write lib<Model>.so and <Model>.manifest.json to.", Required = true };
        var target = new CpuOptions();
        return ModelCommand.Create("build", "Compile models to native code: a shared library and a manifest per model, loadable without LLVM. With --mode train, a model with a loss compiles to its train step (forward, backward and optimizer update in one run).", error,
            [outputDirectory, .. target.All],
            (parse, model) =>
            {
                var clock = Stopwatch.StartNew();
                try
                {
                    var (graph, training) = TrainStep.Of(model);
                    var program = ProgramBuilder.Build(graph);
                    var library = ArtifactWriter.Write(program, target.Read(parse), parse.GetValue(outputDirectory)!.FullName, training);
                    output.WriteLine($"{model.Graph.Name}: {program.Kernels.Length} kernels -> {library} ({clock.ElapsedMilliseconds} ms)");
                    return ExitCodes.Ok;
                }
                catch (Exception e) when (e is LlvmException or InvalidOperationException or IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"modelc: error: {model.Graph.Name}: {e.Message}");
                    return ExitCodes.Diagnostics;
                }
            }, defaultMode: "infer");
    }
}
