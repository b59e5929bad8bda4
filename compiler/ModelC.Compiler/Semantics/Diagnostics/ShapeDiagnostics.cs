using ModelC.Compiler.IR;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Diagnostics;

/// <summary>Diagnostics about tensor shapes and element types (codes MC4xxx).</summary>
public static class ShapeDiagnostics
{
    /// <summary>MC4001: a layer cannot take its input's shape; the message shows the shapes.</summary>
    public static Diagnostic LayerShape(Location location, string message, string? hint = null) =>
        Diagnostic.Error("MC4001", message, location, hint);

    /// <summary>MC4002</summary>
    public static Diagnostic InputCount(Location location, string module, string expected, int actual) =>
        Diagnostic.Error("MC4002", $"{module} takes {expected}, got {actual}", location);

    /// <summary>MC4003</summary>
    public static Diagnostic ElementType(Location location, string message) => Diagnostic.Error("MC4003", message, location);

    /// <summary>MC4004</summary>
    public static Diagnostic Broadcast(Location location, string op, TensorType left, TensorType right) =>
        Diagnostic.Error("MC4004", $"cannot broadcast {left} and {right} in '{op}'", location,
            "dimensions must be equal or 1, aligned from the right");

    /// <summary>MC4005</summary>
    public static Diagnostic BatchDimension(Location location, string message) =>
        Diagnostic.Error("MC4005", message, location, "the batch size is only known at run time");

    /// <summary>MC4006</summary>
    public static Diagnostic OutputType(Location location, string name, TensorType declared, TensorType actual) =>
        Diagnostic.Error("MC4006", $"output '{name}' is declared {declared} but computes {actual}", location);

    /// <summary>MC4007</summary>
    public static Diagnostic LossNotScalar(Location location, TensorType actual) =>
        Diagnostic.Error("MC4007", $"the loss must be a scalar f32[], got {actual}", location);

    /// <summary>MC4008</summary>
    public static Diagnostic InvalidDimension(Location location, string actual) =>
        Diagnostic.Error("MC4008", $"a tensor dimension must be a positive int or the batch, got {actual}", location);

    /// <summary>MC4009</summary>
    public static Diagnostic BatchNotFirst(Location location) =>
        Diagnostic.Error("MC4009", "the batch dimension must be the first dimension", location);
}
