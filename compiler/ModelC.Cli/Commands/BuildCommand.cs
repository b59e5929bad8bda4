using System.CommandLine;
using System.Diagnostics;
using ModelC.Backend.Artifacts;
using ModelC.Backend.Cpu;
using ModelC.Backend.Scheduling;
using ModelC.Cli.Building;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Training;
using ModelC.DotNet;
using ModelC.Llvm;
using ModelC.Runtime.Packaging;

namespace ModelC.Cli.Commands;

/// <summary>
/// <c>modelc build</c>: per model, native kernels in a shared library plus a manifest; and per
/// file, a .NET assembly with a typed class per model, or the C# and bundle that MSBuild compiles.
/// </summary>
internal static class BuildCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var outputDirectory = new Option<DirectoryInfo>("--output", "-o") { Description = "The directory to write to.", Required = true };
        var emit = new Option<EmitKind>("--emit")
        {
            Description = "What to write: 'native' (lib<Model>.so and <Model>.manifest.json per model), 'assembly' (those and <File>.dll, a .NET class per model " +
                "with its forward pass and train step, plus its XML docs and ModelC.Runtime.dll) or 'source' (<file>.g.cs and <file>.modelc, for a project to compile and embed).",
            DefaultValueFactory = _ => EmitKind.Assembly,
        };
        var ns = new Option<string>("--namespace") { Description = "The namespace of the generated classes.", DefaultValueFactory = _ => "ModelC.Models" };
        var deps = new Option<FileInfo?>("--deps") { Description = "Also write every source file read (the file and its imports) to this file, on one line separated by ';'." };
        var target = new CpuOptions();
        // The models of one invocation, collected for the per-file .NET output.
        (ParseResult Parse, DotNetOutput Output)? dotNet = null;

        return ModelCommand.Create("build",
            "Compile models to native code, loadable without LLVM. With --mode train, a model with a loss compiles to its train step (forward, backward and optimizer update in one run); " +
            "the .NET class always has the forward pass, and the train step when the model has a loss.", error,
            [outputDirectory, emit, ns, deps, .. target.All],
            (parse, session, model) =>
            {
                var clock = Stopwatch.StartNew();
                var kind = parse.GetValue(emit);
                try
                {
                    var cpu = target.Read(parse);
                    var requested = Compile(model, cpu);
                    if (kind != EmitKind.Source)
                    {
                        var library = ArtifactWriter.Write(model.Name, requested, parse.GetValue(outputDirectory)!.FullName);
                        output.WriteLine($"{model.Name}: {requested.Manifest.Kernels.Length} kernels -> {library} ({clock.ElapsedMilliseconds} ms)");
                    }
                    if (kind == EmitKind.Native)
                    {
                        return ExitCodes.Ok;
                    }
                    if (ProgramOf(model, requested, ExecutionMode.Inference, session, cpu, output) is not { } inference)
                    {
                        return ExitCodes.Diagnostics;
                    }
                    var hasLoss = model.Symbol.HasLoss;
                    var training = hasLoss ? ProgramOf(model, requested, ExecutionMode.Training, session, cpu, output) : null;
                    if (hasLoss && training is null)
                    {
                        return ExitCodes.Diagnostics;
                    }
                    if (dotNet?.Parse != parse)
                    {
                        dotNet = (parse, new DotNetOutput(parse.GetValue<FileInfo>("file")!.FullName, parse.GetValue(ns)!));
                    }
                    dotNet.Value.Output.Add(new ModelBinding(new BundledModel(model.Name, inference, training), model.Symbol.Documentation));
                    return ExitCodes.Ok;
                }
                catch (Exception e) when (e is LlvmException or InvalidOperationException or IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"modelc: error: {model.Name}: {e.Message}");
                    return ExitCodes.Diagnostics;
                }
            },
            defaultMode: "infer",
            finish: (parse, session) =>
            {
                try
                {
                    var directory = parse.GetValue(outputDirectory)!.FullName;
                    if (parse.GetValue(deps) is { } depsFile)
                    {
                        DotNetOutput.WriteDependencies(depsFile.FullName, session.Compilation);
                    }
                    if (dotNet is { } pending && pending.Parse == parse)
                    {
                        var written = parse.GetValue(emit) == EmitKind.Source ? pending.Output.WriteSource(directory) : [pending.Output.WriteAssembly(directory)];
                        output.WriteLine($"{string.Join(", ", pending.Output.Models)}: .NET -> {string.Join(", ", written)}");
                    }
                    return ExitCodes.Ok;
                }
                catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"modelc: error: {e.Message}");
                    return ExitCodes.Diagnostics;
                }
            });
    }

    private static BundledProgram Compile(ElaboratedModel model, CpuTarget cpu)
    {
        var (graph, training) = TrainStep.Of(model);
        return ArtifactWriter.Compile(ProgramBuilder.Build(graph, cpu), cpu, training);
    }

    // The program of a model in another mode: the one just compiled when the mode matches.
    private static BundledProgram? ProgramOf(ElaboratedModel model, BundledProgram compiled, ExecutionMode mode, CompilerSession session, CpuTarget cpu, TextWriter output)
    {
        if (model.Mode == mode)
        {
            return compiled;
        }
        if (session.Elaborate(model.Symbol, mode) is not { } other)
        {
            return null;
        }
        var clock = Stopwatch.StartNew();
        var program = Compile(other, cpu);
        output.WriteLine($"{model.Name}: {(mode == ExecutionMode.Training ? "train step" : "forward pass")} for .NET: {program.Manifest.Kernels.Length} kernels ({clock.ElapsedMilliseconds} ms)");
        return program;
    }
}
