namespace ModelC.Backend.Driver;

/// <summary>
/// A stage of compiling a model, as <see cref="CompileTimings"/> records it, in pipeline order.
/// The graph passes between <see cref="Elaboration"/> and <see cref="FusionPlanning"/> (autodiff
/// among them) are recorded by name (<see cref="CompileTimings.Pipelines"/>), not as phases.
/// </summary>
public enum CompilePhase
{
    /// <summary>Reading, parsing and binding the source file and its imports.</summary>
    ParseAndBind,

    /// <summary>Elaborating a model to its graph (the lowering of the language to graph IR).</summary>
    Elaboration,

    /// <summary>Deciding which nodes are stored and which are inlined into their readers (<c>FusionPlanner</c>).</summary>
    FusionPlanning,

    /// <summary>Building the kernels' IR from the fusion plan (<c>ProgramBuilder</c>, fusion planning excluded).</summary>
    KernelIr,

    /// <summary>Hashing every kernel's canonical form to its key.</summary>
    KernelKeys,

    /// <summary>Building the programs' manifests.</summary>
    Manifest,

    /// <summary>Emitting each kernel's and support routine's LLVM IR (summed over kernels).</summary>
    LlvmIr,

    /// <summary>LLVM's optimisation pipeline on each kernel's module (summed over kernels).</summary>
    LlvmOptimisation,

    /// <summary>LLVM's object code generation for each kernel's module (summed over kernels).</summary>
    LlvmCodeGeneration,

    /// <summary>Linking each program's objects into a shared library (summed over programs).</summary>
    Link,

    /// <summary>Loading each program's objects in process (summed over programs).</summary>
    Load,
}
