using System.Reflection;

namespace ModelC.Gpu.Runtime;

/// <summary>One kernel class of a GPU kernel assembly (see <see cref="GpuKernelConvention"/>).</summary>
public sealed class GpuKernelCode
{
    private readonly Func<long[], long> _extent;

    internal GpuKernelCode(string symbol, Type type)
    {
        Symbol = symbol;
        Method = type.GetMethod(GpuKernelConvention.RunMethod, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"GPU kernel '{symbol}' has no {GpuKernelConvention.RunMethod} method");
        var extent = type.GetMethod(GpuKernelConvention.ExtentMethod, BindingFlags.Public | BindingFlags.Static, [typeof(long[])])
            ?? throw new InvalidOperationException($"GPU kernel '{symbol}' has no {GpuKernelConvention.ExtentMethod} method");
        _extent = extent.CreateDelegate<Func<long[], long>>();
        TileDepth = ConstantOf(type, GpuKernelConvention.TileDepthField);
        ThreadRows = ConstantOf(type, GpuKernelConvention.ThreadRowsField);
        ThreadColumns = ConstantOf(type, GpuKernelConvention.ThreadColumnsField);
        Outputs = Math.Max(1, ConstantOf(type, GpuKernelConvention.OutputsField));
    }

    /// <summary>The kernel's symbol.</summary>
    public string Symbol { get; }

    /// <summary>The ILGPU kernel method.</summary>
    public MethodInfo Method { get; }

    /// <summary>For a tiled GEMM, the depth of its shared-memory tiles; 0 for a kernel that runs one thread per element.</summary>
    public int TileDepth { get; }

    /// <summary>For a tiled GEMM, output rows per thread.</summary>
    public int ThreadRows { get; }

    /// <summary>For a tiled GEMM, output columns per thread.</summary>
    public int ThreadColumns { get; }

    /// <summary>How many of the first arguments the kernel writes.</summary>
    public int Outputs { get; }

    /// <summary>The kernel's work items under the symbol values <paramref name="symbols"/>.</summary>
    public long Extent(long[] symbols) => _extent(symbols);

    private static int ConstantOf(Type type, string name) =>
        type.GetField(name, BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() is int value ? value : 0;
}
