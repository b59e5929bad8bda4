using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Semantics.Values;

namespace ModelC.Backend.Tests;

/// <summary>One model of an example file, elaborated in one mode with optional -D style settings.</summary>
/// <param name="File">The example file, relative to the repository root.</param>
/// <param name="Model">The model's name.</param>
/// <param name="Mode">Inference or training.</param>
/// <param name="Settings">Model parameter values, or null for the defaults.</param>
internal sealed record ExampleCase(string File, string Model, ExecutionMode Mode, IReadOnlyDictionary<string, Value>? Settings);
