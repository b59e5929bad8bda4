using System.Collections.Immutable;
using ModelC.Backend.Kernels;
using ModelC.Gpu.Runtime;

namespace ModelC.Gpu.Codegen;

/// <summary>
/// Writes one kernel as a C# class in the GPU calling convention (<see cref="GpuKernelConvention"/>):
/// a host method giving its work items and an explicitly grouped ILGPU kernel. A map kernel runs
/// one thread per output element, grid-stride; a GEMM is tiled (<see cref="GemmSourceWriter"/>).
/// </summary>
internal static class KernelSourceWriter
{
    /// <summary>The parameter name of each buffer argument.</summary>
    private static string Parameter(int position) => $"p{position}";

    /// <summary>The C# source of <paramref name="kernel"/>.</summary>
    public static string Write(Kernel kernel, ImmutableArray<string> symbols)
    {
        var code = new SourceBuilder();
        var arguments = kernel.Arguments;
        var names = arguments.Select((b, i) => (b.Id, Name: $"b{i}")).ToDictionary(p => p.Id, p => p.Name);
        var x = new ExprWriter(code, names, symbols);
        code.Line("using ILGPU;");
        code.Line("using ILGPU.Runtime;");
        code.Line("using ModelC.Gpu.Runtime;");
        code.Line("");
        code.Line($"namespace {GpuKernelConvention.Namespace};");
        code.Line("");
        code.Line($"// {kernel.Description.ReplaceLineEndings(" ")}");
        code.Block($"public static class {kernel.Symbol}", () =>
        {
            var extent = kernel switch
            {
                MapKernel map => Product(map.Loops),
                GemmKernel gemm => IndexMath.Mul(Product(gemm.Outer), IndexMath.Mul(Product(gemm.Rows), Product(gemm.Columns))),
                _ => throw new InvalidOperationException($"the GPU code generator has no code for {kernel.GetType().Name}"),
            };
            if (kernel is GemmKernel)
            {
                GemmSourceWriter.WriteConstants(code);
            }
            if (kernel.Outputs.Length > 1)
            {
                code.Line($"public const int {GpuKernelConvention.OutputsField} = {kernel.Outputs.Length};");
            }
            code.Block($"public static long {GpuKernelConvention.ExtentMethod}(long[] s)", () =>
            {
                DeclareSymbols(code, symbols.Length, i => $"s[{i}]");
                code.Line($"return {x.Write(extent)};");
            });
            var parameters = string.Join(", ", arguments.Select((_, i) => $"ArrayView<byte> {Parameter(i)}"));
            code.Block($"public static void {GpuKernelConvention.RunMethod}({parameters}, ArrayView<long> s)", () =>
            {
                for (var i = 0; i < arguments.Length; i++)
                {
                    code.Line(arguments[i].ScalarType switch
                    {
                        ScalarType.F32 => $"var b{i} = {Parameter(i)}.Cast<float>();",
                        ScalarType.I32 => $"var b{i} = {Parameter(i)}.Cast<int>();",
                        ScalarType.Bool => $"var b{i} = {Parameter(i)};",
                        _ => throw new InvalidOperationException($"buffer {arguments[i]} has no memory type for {arguments[i].ScalarType}"),
                    });
                }
                DeclareSymbols(code, symbols.Length, i => $"s[{i}]");
                switch (kernel)
                {
                    case MapKernel map:
                        WriteMap(code, x, map, extent);
                        break;
                    case GemmKernel gemm:
                        GemmSourceWriter.WriteBody(code, x, gemm);
                        break;
                }
            });
        });
        return code.ToString();
    }

    /// <summary>Declares each variable of <paramref name="loops"/>, row-major, from the linear position <paramref name="linear"/>.</summary>
    public static void BindLoops(SourceBuilder code, ExprWriter x, IReadOnlyList<Loop> loops, Expr linear)
    {
        var indices = IndexMath.Delinearize(linear, [.. loops.Select(l => l.Extent)]);
        for (var i = 0; i < loops.Count; i++)
        {
            code.Line($"long {ExprWriter.NameOf(loops[i].Var)} = {x.Write(indices[i])};");
        }
    }

    /// <summary>The product of the loops' extents.</summary>
    public static Expr Product(IEnumerable<Loop> loops) => loops.Aggregate((Expr)IndexMath.Const(1), (p, l) => IndexMath.Mul(p, l.Extent));

    private static void DeclareSymbols(SourceBuilder code, int count, Func<int, string> value)
    {
        for (var i = 0; i < count; i++)
        {
            code.Line($"long {ExprWriter.SymbolName(i)} = {value(i)};");
        }
    }

    // Output element t is the loops' position t, row-major: the grid strides over the elements.
    private static void WriteMap(SourceBuilder code, ExprWriter x, MapKernel kernel, Expr extent)
    {
        var element = new LoopVar(-1);
        var name = ExprWriter.NameOf(element);
        code.Line($"long elements = {x.Write(extent)};");
        code.Line("long stride = (long)Grid.DimX * Group.DimX;");
        code.Block($"for (long {name} = Grid.GlobalIndex.X; {name} < elements; {name} += stride)", () =>
        {
            BindLoops(code, x, kernel.Loops, element);
            // Every result's value first, then the stores: a result may overwrite a buffer the bodies read at this element.
            var values = new List<string>();
            foreach (var result in kernel.Results)
            {
                values.Add(code.Temporary("result"));
                code.Line($"{ExprWriter.TypeOf(result.Body.Type)} {values[^1]} = {x.Write(result.Body)};");
            }
            for (var r = 0; r < values.Count; r++)
            {
                code.Line(x.Store(kernel.Results[r].Output, name, values[r]));
            }
        });
    }
}
