namespace ModelC.Compiler.Interpreter;

/// <summary>
/// Row-major index arithmetic shared by the reference implementations of the ops: strides,
/// offsets and an odometer over multi-indices. Each loops over every multi-index of one tensor
/// and computes the matching offset in the others, which keeps it a direct transcription of its
/// op's formula.
/// </summary>
internal static class TensorLayout
{
    /// <summary>The row-major strides of a shape: the last axis has stride 1.</summary>
    public static int[] Strides(IReadOnlyList<int> shape)
    {
        var strides = new int[shape.Count];
        var stride = 1;
        for (var axis = shape.Count - 1; axis >= 0; axis--)
        {
            strides[axis] = stride;
            stride = checked(stride * shape[axis]);
        }
        return strides;
    }

    /// <summary>The flat offset of a multi-index under the given strides.</summary>
    public static int Offset(int[] index, int[] strides)
    {
        var offset = 0;
        for (var axis = 0; axis < index.Length; axis++)
        {
            offset += index[axis] * strides[axis];
        }
        return offset;
    }

    /// <summary>
    /// Steps a multi-index to the next one in row-major order, wrapping to all zeros after the
    /// last. Loops call it once per element, so the wrap after the final element is harmless.
    /// </summary>
    public static void Advance(int[] index, IReadOnlyList<int> shape)
    {
        for (var axis = index.Length - 1; axis >= 0; axis--)
        {
            if (++index[axis] < shape[axis])
            {
                return;
            }
            index[axis] = 0;
        }
    }
}
