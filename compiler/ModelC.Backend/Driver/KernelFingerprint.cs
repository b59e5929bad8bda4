using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using ModelC.Backend.Kernels;

namespace ModelC.Backend.Driver;

/// <summary>
/// Computes a kernel's <see cref="KernelKey"/>: the SHA-256 of a canonical serialisation of
/// everything its code depends on — the kind of kernel, its loops and expressions, the element
/// type and shape of each buffer in argument order (a load names its buffer by argument position,
/// never by id), the number of symbolic dimensions (a symbolic dimension is written as its
/// index) — followed by the compilation's identity (the target and the code generator, see
/// <see cref="CodeGeneratorIdentity"/>). Loop variables are numbered in order of first appearance and
/// enum members are written by name, so kernels that differ only in buffer ids, variable
/// numbering, symbol or description get the same key. Anything the serialisation does not know
/// throws: a new kind of expression must be added here before it can be compiled.
/// </summary>
public static class KernelFingerprint
{
    private const string Format = "modelc-kernel-2";

    /// <summary>The key of <paramref name="kernel"/> of a program with <paramref name="symbols"/>, compiled under <paramref name="identity"/>.</summary>
    /// <exception cref="InvalidOperationException">The kernel holds something the canonical form does not cover.</exception>
    public static KernelKey Of(Kernel kernel, ImmutableArray<string> symbols, string identity)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(identity);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Format);
            new CanonicalWriter(writer, kernel, symbols).WriteKernel();
            writer.Write(identity);
        }
        return new KernelKey(Convert.ToHexStringLower(SHA256.HashData(stream.GetBuffer().AsSpan(0, (int)stream.Length))));
    }

    private sealed class CanonicalWriter(BinaryWriter output, Kernel kernel, ImmutableArray<string> symbols)
    {
        private readonly ImmutableArray<KernelBuffer> _arguments = kernel.Arguments;
        private readonly Dictionary<LoopVar, int> _vars = [];

        public void WriteKernel()
        {
            output.Write(symbols.Length);
            output.Write(_arguments.Length);
            foreach (var buffer in _arguments)
            {
                WriteBuffer(buffer);
            }
            switch (kernel)
            {
                case MapKernel map:
                    output.Write("map");
                    WriteLoops(map.Loops);
                    output.Write(map.Results.Length);
                    foreach (var result in map.Results)
                    {
                        WriteExpr(result.Body);
                    }
                    break;
                case GemmKernel gemm:
                    output.Write("gemm");
                    WriteLoops(gemm.Outer);
                    WriteLoops(gemm.Rows);
                    WriteLoops(gemm.Columns);
                    WriteLoops(gemm.Depth);
                    WriteExpr(gemm.A);
                    WriteExpr(gemm.B);
                    WriteExpr(gemm.Epilogue);
                    break;
                default:
                    throw new InvalidOperationException($"no canonical form for {kernel.GetType().Name}");
            }
        }

        private void WriteBuffer(KernelBuffer buffer)
        {
            WriteName(buffer.Type);
            output.Write(buffer.Shape.Length);
            foreach (var dim in buffer.Shape)
            {
                if (dim.Symbol is { } symbol)
                {
                    output.Write('s');
                    output.Write(SymbolIndex(symbol));
                }
                else
                {
                    output.Write('f');
                    output.Write(dim.FixedSize);
                }
            }
        }

        private int SymbolIndex(string symbol)
        {
            var index = symbols.IndexOf(symbol);
            return index >= 0 ? index : throw new InvalidOperationException($"dimension '{symbol}' is not a symbol of the program");
        }

        private void WriteLoops(ImmutableArray<Loop> loops)
        {
            output.Write(loops.Length);
            foreach (var loop in loops)
            {
                WriteExpr(loop.Var);
                WriteExpr(loop.Extent);
            }
        }

        private void WriteExpr(Expr expr)
        {
            switch (expr)
            {
                case LoopVar v:
                    output.Write("var");
                    if (!_vars.TryGetValue(v, out var number))
                    {
                        number = _vars.Count;
                        _vars[v] = number;
                    }
                    output.Write(number);
                    break;
                case IndexConst c:
                    output.Write("index");
                    output.Write(c.Value);
                    break;
                case SymbolValue s:
                    output.Write("symbol");
                    output.Write(s.Symbol);
                    break;
                case IndexBinary b:
                    output.Write("index-op");
                    WriteName(b.Op);
                    WriteExpr(b.Left);
                    WriteExpr(b.Right);
                    break;
                case Constant c:
                    output.Write("constant");
                    WriteName(c.ValueType);
                    output.Write(BitConverter.DoubleToInt64Bits(c.Value));
                    break;
                case Load l:
                    output.Write("load");
                    output.Write(ArgumentOf(l.Buffer));
                    output.Write(l.Indices.Length);
                    foreach (var index in l.Indices)
                    {
                        WriteExpr(index);
                    }
                    break;
                case Unary u:
                    output.Write("unary");
                    WriteName(u.Kind);
                    WriteExpr(u.Operand);
                    break;
                case Binary b:
                    output.Write("binary");
                    WriteName(b.Kind);
                    WriteExpr(b.Left);
                    WriteExpr(b.Right);
                    break;
                case Compare c:
                    output.Write("compare");
                    WriteName(c.Kind);
                    WriteExpr(c.Left);
                    WriteExpr(c.Right);
                    break;
                case Select s:
                    output.Write("select");
                    WriteExpr(s.Condition);
                    WriteExpr(s.Then);
                    WriteExpr(s.Otherwise);
                    break;
                case Cast c:
                    output.Write("cast");
                    WriteName(c.To);
                    WriteExpr(c.Operand);
                    break;
                case Reduce r:
                    output.Write("reduce");
                    WriteName(r.Kind);
                    output.Write(r.Vars.Length);
                    foreach (var v in r.Vars)
                    {
                        WriteExpr(v);
                    }
                    foreach (var extent in r.Extents)
                    {
                        WriteExpr(extent);
                    }
                    WriteExpr(r.Body);
                    break;
                case Accumulator:
                    output.Write("accumulator");
                    break;
                default:
                    throw new InvalidOperationException($"no canonical form for the expression {expr.GetType().Name}");
            }
        }

        private int ArgumentOf(KernelBuffer buffer)
        {
            for (var i = 0; i < _arguments.Length; i++)
            {
                if (_arguments[i].Id == buffer.Id)
                {
                    return i;
                }
            }
            throw new InvalidOperationException($"buffer {buffer} is loaded but is no argument of the kernel");
        }

        // By name, so that reordering an enum never maps an old key onto a different operation.
        private void WriteName<T>(T value)
            where T : struct, Enum =>
            output.Write(Enum.IsDefined(value) ? value.ToString() : throw new InvalidOperationException($"{typeof(T).Name} {value} is not defined"));
    }
}
