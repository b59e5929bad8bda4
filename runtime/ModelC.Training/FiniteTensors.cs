using ModelC.Runtime;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Training;

/// <summary>
/// Finds a non-finite value among a train step's float parameters and states (the optimizer's
/// moments and step count included). Gradients are not kept between steps, but every one flows
/// into a moment or a weight, so a gradient that overflows shows there after its step.
/// </summary>
internal sealed class FiniteTensors(ModelInstance model)
{
    private readonly string[] _names = [.. model.Manifest.Tensors
        .Where(t => t.Role is TensorRole.Parameter or TensorRole.State && model.Manifest.Buffers[t.Buffer].Type == ElementType.F32)
        .Select(t => t.Name)];

    /// <summary>The first tensor holding a non-finite value, with the value's index and the value; null when all are finite.</summary>
    public (string Tensor, int Index, float Value)? FirstNonFinite()
    {
        foreach (var name in _names)
        {
            var values = model.Floats(name);
            if (FiniteValues.IndexOfNonFinite(values) is var index and >= 0)
            {
                return (name, index, values[index]);
            }
        }
        return null;
    }
}
