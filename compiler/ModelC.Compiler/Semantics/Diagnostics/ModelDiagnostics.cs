using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Diagnostics;

/// <summary>Diagnostics about model declarations (codes MC5xxx).</summary>
public static class ModelDiagnostics
{
    /// <summary>MC5001</summary>
    public static Diagnostic ModelOnlyStatement(Location location, string keyword) =>
        Diagnostic.Error("MC5001", $"'{keyword}' is only allowed in a model", location);

    /// <summary>MC5002</summary>
    public static Diagnostic ReturnInModel(Location location) =>
        Diagnostic.Error("MC5002", "'return' is not allowed in a model", location, "declare results with 'output name = ...;'");

    /// <summary>MC5003</summary>
    public static Diagnostic NoOutputs(Location location, string model) =>
        Diagnostic.Error("MC5003", $"model '{model}' has no outputs", location, "add 'output name = ...;'");

    /// <summary>MC5004</summary>
    public static Diagnostic MissingModelArgument(Location location, string model, string parameter) =>
        Diagnostic.Error("MC5004", $"model parameter '{parameter}' of '{model}' has no default", location,
            $"give it a default or a value on the command line: -D {parameter}=...");

    /// <summary>MC5005</summary>
    public static Diagnostic DuplicateInterfaceName(Location location, string name) =>
        Diagnostic.Error("MC5005", $"'{name}' is already an input or output of this model", location);

    /// <summary>MC5006</summary>
    public static Diagnostic DuplicateLoss(Location location) =>
        Diagnostic.Error("MC5006", "the model already has a loss", location);

    /// <summary>MC5007</summary>
    public static Diagnostic DuplicateOptimizer(Location location) =>
        Diagnostic.Error("MC5007", "the model already has an optimizer", location);

    /// <summary>MC5008</summary>
    public static Diagnostic ExpectedOptimizer(Location location, Value value) =>
        Diagnostic.Error("MC5008", $"optimizer needs sgd(...), adam(...) or adamw(...), got {ValueDiagnostics.Describe(value)}", location);

    /// <summary>MC5009</summary>
    public static Diagnostic SecondBatchParameter(Location location) =>
        Diagnostic.Error("MC5009", "a model can have only one batch parameter", location);

    /// <summary>MC5010</summary>
    public static Diagnostic UnknownModelArgument(Location location, string model, string name, string? suggestion) =>
        Diagnostic.Error("MC5010", $"model '{model}' has no parameter '{name}'", location,
            suggestion is null ? null : $"did you mean '{suggestion}'?");

    /// <summary>MC5011</summary>
    public static Diagnostic TensorElementType(Location location, string name) =>
        Diagnostic.Error("MC5011", $"tensor types are f32[...] or i32[...], got '{name}'", location);

    /// <summary>MC5012</summary>
    public static Diagnostic OptimizerWithoutLoss(Location location) =>
        Diagnostic.Warning("MC5012", "the model has an optimizer but no loss to minimise", location);

    /// <summary>MC5014</summary>
    public static Diagnostic BatchDefault(Location location) =>
        Diagnostic.Error("MC5014", "a batch parameter cannot have a default", location, "the batch size is set when the model is loaded");

    /// <summary>MC5013</summary>
    public static Diagnostic TensorModelParameter(Location location) =>
        Diagnostic.Error("MC5013", "model parameters cannot be tensors", location, "declare inputs with 'input name: f32[...];'");

    /// <summary>MC5015</summary>
    public static Diagnostic TooLarge(Location location, string detail) =>
        Diagnostic.Error("MC5015", $"the model is too large: {detail}", location,
            $"check sizes and repeat counts; the compiler accepts up to {IR.GraphBuilder.MaxNodes:N0} IR nodes and 2^40 elements per tensor");
}
