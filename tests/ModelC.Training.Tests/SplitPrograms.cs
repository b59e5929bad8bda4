using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Tests;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Training.Tests;

/// <summary>
/// A model's train step compiled in two programs, as data-parallel training runs it: the
/// gradients program (<see cref="Gradients"/>, 0) and the update program (<see cref="Update"/>, 1).
/// </summary>
public sealed class SplitPrograms : IDisposable
{
    /// <summary>Index of the gradients program.</summary>
    public const int Gradients = 0;

    /// <summary>Index of the update program.</summary>
    public const int Update = 1;

    private readonly IReadOnlyList<CompiledProgram> _programs;

    /// <summary>Compiles the train step of the model in <paramref name="source"/> as two programs.</summary>
    public SplitPrograms(string source)
    {
        var (gradients, update, training) = ModelCompiler.SplitSourcesOf(CompilerDriver.Elaborate(source, mode: ExecutionMode.Training));
        _programs = ModelCompiler.CompileAll([gradients, update], CpuTarget.Host);
        Training = training;
    }

    /// <summary>What the update needs to know of the training setup.</summary>
    public TrainingSpec Training { get; }

    /// <summary>An instance of <paramref name="program"/> for <paramref name="batch"/> samples, one thread, seeded.</summary>
    public ModelInstance Instance(int program, int batch, ulong seed) =>
        new(_programs[program].Manifest, _programs[program].Kernels, _programs[program].Manifest.Symbols.ToDictionary(s => s, _ => batch), new ModelOptions(1, seed));

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var program in _programs)
        {
            program.Kernels.Dispose();
        }
    }
}
