using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Tests;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Training.Tests;

/// <summary>
/// A model's train step and evaluation program compiled in process: the compiler's part of
/// training, done once per test class. The library under test takes it from here, as it would
/// take the built artifacts of an app.
/// </summary>
public sealed class TrainablePrograms : IDisposable
{
    private readonly IKernelLibrary _trainKernels;
    private readonly IKernelLibrary _evaluationKernels;

    private TrainablePrograms(ModelManifest trainManifest, IKernelLibrary trainKernels, ModelManifest evaluationManifest, IKernelLibrary evaluationKernels)
    {
        TrainManifest = trainManifest;
        _trainKernels = trainKernels;
        EvaluationManifest = evaluationManifest;
        _evaluationKernels = evaluationKernels;
    }

    /// <summary>The train step's manifest.</summary>
    public ModelManifest TrainManifest { get; }

    /// <summary>The evaluation program's manifest.</summary>
    public ModelManifest EvaluationManifest { get; }

    /// <summary>Compiles the one model of <paramref name="source"/> (which has a loss).</summary>
    public static TrainablePrograms Compile(string source)
    {
        var compiled = ModelCompiler.CompileAll(
            [CompilerDriver.Elaborate(source, mode: ExecutionMode.Training), CompilerDriver.Elaborate(source, mode: ExecutionMode.Evaluation)], CpuTarget.Host);
        return new TrainablePrograms(compiled[0].Manifest, compiled[0].Kernels, compiled[1].Manifest, compiled[1].Kernels);
    }

    /// <summary>A fresh train step for batches of <paramref name="batch"/>, its parameters drawn with <paramref name="seed"/>.</summary>
    public ModelInstance TrainStep(int batch, ulong seed = 0) =>
        new(TrainManifest, _trainKernels, TrainManifest.Symbols.ToDictionary(s => s, _ => batch), new ModelOptions(1, seed));

    /// <summary>The evaluation program on one thread.</summary>
    public EvaluationProgram Evaluation() => new(EvaluationManifest, _evaluationKernels, new ModelOptions(1));

    /// <inheritdoc/>
    public void Dispose()
    {
        _trainKernels.Dispose();
        _evaluationKernels.Dispose();
    }
}
