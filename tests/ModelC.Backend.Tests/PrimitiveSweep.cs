using System.Collections.Immutable;
using System.Globalization;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Lowering;
using ModelC.Runtime;

namespace ModelC.Backend.Tests;

/// <summary>
/// Small graphs around each primitive op at random shapes drawn from fixed seeds: ranks 1–4,
/// dims 1–9, and now and then an innermost dim of 10–33 so that kernels run full 8-wide vectors
/// followed by a tail (dims 1–9 alone would mostly be tails). Each family draws its shapes from
/// its own seed, so adding a family leaves the others' cases as they were.
/// </summary>
internal static class PrimitiveSweep
{
    private static readonly Lazy<IReadOnlyDictionary<string, SweepCase>> AllCases = new(Generate);

    /// <summary>Every case, by name.</summary>
    public static IReadOnlyDictionary<string, SweepCase> Cases => AllCases.Value;

    private static Dictionary<string, SweepCase> Generate()
    {
        var families = new Func<Random, IEnumerable<SweepCase>>[]
        {
            Unary, Binary, Compare, Select, Cast, Reduce, Contract, Reshape, Permute, Slice, Pad, Concat,
            Broadcast, Gather, ScatterAdd, Unfold, Fold, Reverse, Leaves, Chains,
        };
        var cases = new Dictionary<string, SweepCase>(StringComparer.Ordinal);
        for (var f = 0; f < families.Length; f++)
        {
            foreach (var c in families[f](new Random(1000 + f)))
            {
                if (!cases.TryAdd(c.Name, c))
                {
                    throw new InvalidOperationException($"two sweep cases are called {c.Name}");
                }
            }
        }
        return cases;
    }

    private static IEnumerable<SweepCase> Unary(Random random)
    {
        foreach (var kind in Enum.GetValues<UnaryKind>())
        {
            for (var i = 0; i < 2; i++)
            {
                // Domains where the function is finite and not so steep that float32 input
                // rounding alone breaks 1e-5 (log and 1/x stay away from 0).
                var (low, high) = kind switch
                {
                    UnaryKind.Log or UnaryKind.Sqrt => (0.05, 3.0),
                    _ => (-3.0, 3.0),
                };
                var shape = RandomShape(random);
                if (i == 1)
                {
                    // A symbolic leading axis, bound at run time.
                    var b = new SweepCaseBuilder($"unary_{Lower(kind)}_shape_B{Format(shape)}");
                    var irShape = Shape.Of(shape.Select((d, a) => a == 0 ? Dim.Symbolic("B") : Dim.Of(d)));
                    var x = b.Input(ElementType.F32, irShape, shape, r => UnaryValue(kind, r, low, high));
                    yield return b.Build(b.Graph.Unary(kind, x));
                }
                else
                {
                    var b = new SweepCaseBuilder($"unary_{Lower(kind)}_shape_{Format(shape)}");
                    var x = b.Input(ElementType.F32, shape, r => UnaryValue(kind, r, low, high));
                    yield return b.Build(b.Graph.Unary(kind, x));
                }
            }
        }
        // Every kind the type rules accept on i32, so that one added there is compiled here.
        foreach (var kind in Enum.GetValues<UnaryKind>().Where(k => k.IsDefinedOnIntegers()))
        {
            var shape = RandomShape(random);
            var b = new SweepCaseBuilder($"unary_{Lower(kind)}_i32_shape_{Format(shape)}");
            yield return b.Build(b.Graph.Unary(kind, b.Ints(shape, -20, 21)));
        }
    }

    // 1/x away from zero: both signs, magnitude at least 0.25.
    private static double UnaryValue(UnaryKind kind, Random r, double low, double high) => kind == UnaryKind.Reciprocal
        ? (r.Next(2) == 0 ? -1 : 1) * (0.25 + 2.75 * r.NextDouble())
        : low + (high - low) * r.NextDouble();

    private static IEnumerable<SweepCase> Binary(Random random)
    {
        foreach (var kind in Enum.GetValues<BinaryKind>())
        {
            var shape = RandomShape(random);
            var b = new SweepCaseBuilder($"binary_{Lower(kind)}_shape_{Format(shape)}");
            yield return b.Build(b.Graph.Binary(kind, BinaryLeft(b, kind, shape), BinaryRight(b, kind, shape)));

            // Numpy broadcasting in the builder: some axes of the right operand are 1 or missing.
            var full = RandomShape(random, minRank: 2);
            var drop = random.Next(full.Length);
            var small = full.Skip(drop).Select(d => random.Next(3) == 0 ? 1 : d).ToArray();
            b = new SweepCaseBuilder($"binary_{Lower(kind)}_broadcast_{Format(full)}_by_{Format(small)}");
            yield return b.Build(b.Graph.Binary(kind, BinaryLeft(b, kind, full), BinaryRight(b, kind, small)));

            shape = RandomShape(random);
            var scalar = kind == BinaryKind.Pow ? 1.5 : kind == BinaryKind.Div ? -0.75 : 0.375;
            b = new SweepCaseBuilder($"binary_{Lower(kind)}_constant_{Number(scalar)}_shape_{Format(shape)}");
            yield return b.Build(b.Graph.Binary(kind, BinaryLeft(b, kind, shape), scalar));

            shape = RandomShape(random);
            b = new SweepCaseBuilder($"binary_{Lower(kind)}_i32_shape_{Format(shape)}");
            var (left, right) = kind switch
            {
                // Truncating division by nonzero divisors of both signs; small powers that stay in range.
                BinaryKind.Div => (b.Ints(shape, -50, 51), b.Input(ElementType.I32, shape, r => (r.Next(2) == 0 ? -1 : 1) * r.Next(1, 8))),
                BinaryKind.Pow => (b.Ints(shape, -4, 5), b.Ints(shape, 0, 6)),
                _ => (b.Ints(shape, -20, 21), b.Ints(shape, -20, 21)),
            };
            yield return b.Build(b.Graph.Binary(kind, left, right));
        }
    }

    // x^y with a positive base; x/y with a divisor at least 0.25 from zero.
    private static Node BinaryLeft(SweepCaseBuilder b, BinaryKind kind, int[] shape) =>
        kind == BinaryKind.Pow ? b.Floats(shape, 0.1, 3) : b.Floats(shape);

    private static Node BinaryRight(SweepCaseBuilder b, BinaryKind kind, int[] shape) => kind switch
    {
        BinaryKind.Div => b.Input(ElementType.F32, shape, r => (r.Next(2) == 0 ? -1 : 1) * (0.25 + 2.75 * r.NextDouble())),
        // Halves make max and min meet ties.
        BinaryKind.Max or BinaryKind.Min => b.Halves(shape),
        _ => b.Floats(shape),
    };

    private static IEnumerable<SweepCase> Compare(Random random)
    {
        foreach (var kind in Enum.GetValues<CompareKind>())
        {
            // Halves and small integers make ties common, so the equal branch of each comparison runs.
            var shape = RandomShape(random);
            var b = new SweepCaseBuilder($"compare_{Lower(kind)}_shape_{Format(shape)}");
            yield return b.Build(b.Graph.Compare(kind, b.Halves(shape), b.Halves(shape)));

            shape = RandomShape(random);
            b = new SweepCaseBuilder($"compare_{Lower(kind)}_i32_shape_{Format(shape)}");
            yield return b.Build(b.Graph.Compare(kind, b.Ints(shape, -2, 3), b.Ints(shape, -2, 3)));
        }
    }

    private static IEnumerable<SweepCase> Select(Random random)
    {
        var shape = RandomShape(random);
        var b = new SweepCaseBuilder($"select_f32_shape_{Format(shape)}");
        var condition = b.Graph.Compare(CompareKind.Gt, b.Floats(shape), b.Floats(shape));
        yield return b.Build(b.Graph.Select(condition, b.Floats(shape), b.Floats(shape)));

        shape = RandomShape(random);
        b = new SweepCaseBuilder($"select_i32_shape_{Format(shape)}");
        condition = b.Graph.Compare(CompareKind.Le, b.Halves(shape), b.Halves(shape));
        yield return b.Build(b.Graph.Select(condition, b.Ints(shape, -9, 10), b.Ints(shape, -9, 10)));

        shape = RandomShape(random);
        b = new SweepCaseBuilder($"select_bool_input_shape_{Format(shape)}");
        condition = b.Input(ElementType.Bool, shape, r => r.Next(2));
        yield return b.Build(b.Graph.Select(condition, b.Floats(shape), b.Floats(shape)));
    }

    private static IEnumerable<SweepCase> Cast(Random random)
    {
        foreach (var from in Enum.GetValues<ElementType>())
        {
            foreach (var to in Enum.GetValues<ElementType>())
            {
                var shape = RandomShape(random);
                var b = new SweepCaseBuilder($"cast_{from.Name()}_to_{to.Name()}_shape_{Format(shape)}");
                // Floats with fractions of both signs (truncation) and exact zeros (to bool).
                var x = from switch
                {
                    ElementType.F32 => b.Input(ElementType.F32, shape, r => r.Next(4) == 0 ? 0 : -4 + 8 * r.NextDouble()),
                    ElementType.I32 => b.Ints(shape, -3, 4),
                    _ => b.Input(ElementType.Bool, shape, r => r.Next(2)),
                };
                // The raw op: the builder's Cast skips identity casts.
                yield return b.Build(b.Graph.Add(new CastOp(to), x));
            }
        }
    }

    private static IEnumerable<SweepCase> Reduce(Random random)
    {
        foreach (var kind in Enum.GetValues<ReduceKind>())
        {
            for (var i = 0; i < 5; i++)
            {
                var shape = RandomShape(random);
                // The last case of each kind reduces every axis to a scalar.
                var axes = i == 4 ? [.. Enumerable.Range(0, shape.Length)] : RandomAxes(random, shape.Length);
                var b = new SweepCaseBuilder($"reduce_{Lower(kind)}_axes_{Join(axes)}_shape_{Format(shape)}");
                var x = kind == ReduceKind.Max ? b.Halves(shape) : b.Floats(shape);
                yield return b.Build(b.Graph.Reduce(kind, x, axes));
            }
        }
    }

    private static IEnumerable<SweepCase> Contract(Random random)
    {
        // Named forms first (matmul, transposed operands, batched, attention scores, dot, outer,
        // matrix-vector), then random label structures; sizes 1–9 per label.
        var forms = new List<(int[] Left, int[] Right, int[] Output, int[]? Sizes)>
        {
            ([0, 1], [1, 2], [0, 2], null),
            ([1, 0], [2, 1], [0, 2], null),
            ([0, 1, 2], [0, 2, 3], [0, 1, 3], null),
            ([0, 1, 2, 3], [0, 1, 4, 3], [0, 1, 2, 4], null),
            ([0], [0], [], null),
            ([0], [1], [0, 1], null),
            ([0, 1], [1], [0], null),
            // Larger than the GEMM kernel's 6x16 register tile and not multiples of it, so that
            // full tiles and partial edge tiles both run (sizes by label).
            ([0, 1], [1, 2], [0, 2], [13, 29, 35]),
            ([0, 1, 2], [0, 2, 3], [0, 1, 3], [3, 7, 19, 17]),
        };
        for (var i = 0; i < 8; i++)
        {
            var (left, right, output) = RandomContraction(random);
            forms.Add((left, right, output, null));
        }
        foreach (var (left, right, output, fixedSizes) in forms)
        {
            var sizes = fixedSizes ?? [.. Enumerable.Range(0, 26).Select(_ => RandomDim(random))];
            var leftShape = left.Select(l => sizes[l]).ToArray();
            var rightShape = right.Select(l => sizes[l]).ToArray();
            var b = new SweepCaseBuilder(
                $"contract_{Letters(left)}_{Letters(right)}_to_{Letters(output)}_shapes_{Format(leftShape)}_{Format(rightShape)}");
            yield return b.Build(b.Graph.Contract(b.Floats(leftShape), b.Floats(rightShape), left, right, output));
        }
    }

    // Batch labels in both operands and the output, free labels in one operand and the output,
    // contracted labels in both operands only, and sometimes a label summed within one operand.
    private static (int[], int[], int[]) RandomContraction(Random random)
    {
        while (true)
        {
            var next = 0;
            int[] Labels(int max) => [.. Enumerable.Range(0, random.Next(max + 1)).Select(_ => next++)];
            var batch = Labels(2);
            var leftFree = Labels(2);
            var rightFree = Labels(2);
            var contracted = Labels(2);
            var leftOnly = Labels(random.Next(4) == 0 ? 1 : 0);
            var left = Shuffle(random, [.. batch, .. leftFree, .. contracted, .. leftOnly]);
            var right = Shuffle(random, [.. batch, .. rightFree, .. contracted]);
            var output = Shuffle(random, [.. batch, .. leftFree, .. rightFree]);
            if (left.Length is >= 1 and <= 4 && right.Length is >= 1 and <= 4)
            {
                return (left, right, output);
            }
        }
    }

    private static IEnumerable<SweepCase> Reshape(Random random)
    {
        for (var i = 0; i < 5; i++)
        {
            var shape = RandomShape(random);
            var total = shape.Aggregate(1, (n, d) => n * d);
            // A random factorisation of the element count into 1–4 axes.
            var target = new List<int>();
            var rest = total;
            var rank = random.Next(1, 5);
            for (var a = 0; a < rank - 1; a++)
            {
                var divisors = Enumerable.Range(1, rest).Where(d => rest % d == 0).ToArray();
                var d = divisors[random.Next(divisors.Length)];
                target.Add(d);
                rest /= d;
            }
            target.Add(rest);
            var b = new SweepCaseBuilder($"reshape_{Format(shape)}_to_{Format([.. target])}");
            yield return b.Build(b.Graph.Add(new ReshapeOp(Shape.Of([.. target])), b.Floats(shape)));
        }
    }

    private static IEnumerable<SweepCase> Permute(Random random)
    {
        for (var i = 0; i < 6; i++)
        {
            var shape = RandomShape(random, minRank: 2);
            int[] permutation;
            do
            {
                permutation = Shuffle(random, [.. Enumerable.Range(0, shape.Length)]);
            }
            while (permutation.SequenceEqual(Enumerable.Range(0, shape.Length)));
            var b = new SweepCaseBuilder($"permute_{Join(permutation)}_shape_{Format(shape)}");
            yield return b.Build(b.Graph.Add(new PermuteOp([.. permutation]), b.Floats(shape)));
        }
    }

    private static IEnumerable<SweepCase> Slice(Random random)
    {
        for (var i = 0; i < 5; i++)
        {
            var shape = RandomShape(random);
            var ranges = RandomAxes(random, shape.Length).Select(a =>
            {
                var start = random.Next(shape[a]);
                return new AxisRange(a, start, random.Next(start + 1, shape[a] + 1));
            }).ToArray();
            var name = string.Join("_", ranges.Select(r => $"axis{r.Axis}_{r.Start}to{r.End}"));
            var b = new SweepCaseBuilder($"slice_{name}_shape_{Format(shape)}");
            yield return b.Build(b.Graph.Add(new SliceOp([.. ranges]), b.Floats(shape)));
        }
    }

    private static IEnumerable<SweepCase> Pad(Random random)
    {
        double[] values = [0, -1.5, 2.25];
        for (var i = 0; i < 3; i++)
        {
            var shape = RandomShape(random);
            var padding = RandomAxes(random, shape.Length).Select(a =>
            {
                var low = random.Next(4);
                return new AxisPadding(a, low, low == 0 ? random.Next(1, 4) : random.Next(4));
            }).ToArray();
            var name = string.Join("_", padding.Select(p => $"axis{p.Axis}_{p.Low}+{p.High}"));
            var b = new SweepCaseBuilder($"pad_constant_{Number(values[i])}_{name}_shape_{Format(shape)}");
            yield return b.Build(b.Graph.Add(new PadOp([.. padding], values[i]), b.Floats(shape)));
        }
        // Each boundary mode of the lowering, twice: zeros is a primitive pad, the others slices,
        // reversals, broadcasts and concatenations.
        foreach (var mode in Enum.GetValues<PaddingMode>())
        {
            for (var i = 0; i < 2; i++)
            {
                var shape = RandomShape(random, minRank: 2);
                shape[^2] = Math.Max(shape[^2], 2);
                shape[^1] = Math.Max(shape[^1], 2);
                var padH = random.Next(1, Math.Min(3, shape[^2] - 1) + 1);
                var padW = random.Next(0, Math.Min(3, shape[^1] - 1) + 1);
                var b = new SweepCaseBuilder($"pad2d_{Lower(mode)}_{padH}x{padW}_shape_{Format(shape)}");
                yield return b.Build(Padding.Pad2d(b.Graph, b.Floats(shape), padH, padW, mode));
            }
        }
    }

    private static IEnumerable<SweepCase> Concat(Random random)
    {
        for (var i = 0; i < 5; i++)
        {
            var shape = RandomShape(random);
            var axis = random.Next(shape.Length);
            var parts = Enumerable.Range(0, random.Next(2, 4)).Select(_ => shape.Select((d, a) => a == axis ? RandomDim(random) : d).ToArray()).ToArray();
            var integer = i == 4;
            var b = new SweepCaseBuilder($"concat_axis{axis}{(integer ? "_i32" : "")}_{string.Join("+", parts.Select(Format))}");
            var inputs = parts.Select(p => integer ? b.Ints(p, -9, 10) : b.Floats(p)).ToArray();
            yield return b.Build(b.Graph.Add(new ConcatOp(axis), inputs));
        }
    }

    private static IEnumerable<SweepCase> Broadcast(Random random)
    {
        for (var i = 0; i < 5; i++)
        {
            var target = RandomShape(random);
            int[] axes;
            int[] source;
            do
            {
                axes = random.Next(4) == 0 ? [] : RandomAxes(random, target.Length);
                source = [.. axes.Select(a => random.Next(2) == 0 ? 1 : target[a])];
            }
            while (source.SequenceEqual(target));
            var b = new SweepCaseBuilder($"broadcast_{Format(source)}_axes_{Join(axes)}_to_{Format(target)}");
            yield return b.Build(b.Graph.Add(new BroadcastOp(Shape.Of(target), [.. axes]), b.Floats(source)));
        }
    }

    private static IEnumerable<SweepCase> Gather(Random random)
    {
        for (var i = 0; i < 5; i++)
        {
            var table = RandomShape(random, maxRank: 3);
            var axis = random.Next(table.Length);
            var indices = RandomShape(random, maxRank: 2);
            var integer = i == 4;
            var b = new SweepCaseBuilder($"gather_axis{axis}{(integer ? "_i32" : "")}_table_{Format(table)}_indices_{Format(indices)}");
            var values = integer ? b.Ints(table, -9, 10) : b.Floats(table);
            // Some indices out of range on either side: both sides clamp them to the edge rows.
            yield return b.Build(b.Graph.Add(new GatherOp(axis), values, b.Ints(indices, -2, table[axis] + 2)));
        }
    }

    private static IEnumerable<SweepCase> ScatterAdd(Random random)
    {
        for (var i = 0; i < 4; i++)
        {
            var indices = RandomShape(random, maxRank: 2);
            var prefix = RandomShape(random, minRank: 0, maxRank: 1);
            var suffix = RandomShape(random, minRank: 0, maxRank: 1);
            var size = random.Next(1, 10);
            int[] updates = [.. prefix, .. indices, .. suffix];
            var b = new SweepCaseBuilder($"scatter_add_axis{prefix.Length}_size{size}_updates_{Format(updates)}_indices_{Format(indices)}");
            // Repeated rows accumulate; out-of-range ones clamp to the edges.
            var op = new ScatterAddOp(prefix.Length, size);
            yield return b.Build(b.Graph.Add(op, b.Floats(updates), b.Ints(indices, -1, size + 1)));
        }
    }

    private static IEnumerable<SweepCase> Unfold(Random random)
    {
        for (var i = 0; i < 5; i++)
        {
            var (window, height, width) = RandomWindow(random);
            int[] shape = [.. RandomShape(random, minRank: 0, maxRank: 2), height, width];
            var b = new SweepCaseBuilder($"unfold_{Format(window)}_shape_{Format(shape)}");
            yield return b.Build(b.Graph.Add(new UnfoldOp(window), b.Floats(shape)));
        }
    }

    private static IEnumerable<SweepCase> Fold(Random random)
    {
        for (var i = 0; i < 5; i++)
        {
            var (w, height, width) = RandomWindow(random);
            yield return FoldCase(w, height, width, RandomShape(random, minRank: 0, maxRank: 2));
        }
        // The strided windows whose sums skip the taps that cannot reach a position: a transposed
        // convolution's 4×4 stride 2 (MgNO's prolongation), a strided convolution's gradient
        // 3×3 stride 2 onto odd sizes, a kernel narrower than its stride (positions no tap
        // reaches), and a dilated strided window (every tap tested).
        yield return FoldCase(Window2d.Square(4, 2), 10, 12, [2]);
        yield return FoldCase(Window2d.Square(3, 2), 9, 7, [3]);
        yield return FoldCase(new Window2d(2, 1, 3, 2, 1, 1), 8, 5, [2]);
        yield return FoldCase(Window2d.Square(3, 2, 2), 9, 11, []);
    }

    private static SweepCase FoldCase(Window2d w, int height, int width, int[] lead)
    {
        var outH = Window2d.Positions(height, w.KernelH, w.StrideH, w.DilationH);
        var outW = Window2d.Positions(width, w.KernelW, w.StrideW, w.DilationW);
        int[] shape = [.. lead, w.KernelH, w.KernelW, outH, outW];
        var b = new SweepCaseBuilder($"fold_{Format(w)}_to_{height}x{width}_shape_{Format(shape)}");
        return b.Build(b.Graph.Add(new FoldOp(w, height, width), b.Floats(shape)));
    }

    // A window of kernel 1–3, stride 1–2, dilation 1–2 over a grid it fits.
    private static (Window2d Window, int Height, int Width) RandomWindow(Random random)
    {
        var window = new Window2d(random.Next(1, 4), random.Next(1, 4), random.Next(1, 3), random.Next(1, 3), random.Next(1, 3), random.Next(1, 3));
        var height = random.Next(window.DilationH * (window.KernelH - 1) + 1, 10);
        var width = random.Next(window.DilationW * (window.KernelW - 1) + 1, 10);
        return (window, height, width);
    }

    private static IEnumerable<SweepCase> Reverse(Random random)
    {
        for (var i = 0; i < 5; i++)
        {
            var shape = RandomShape(random);
            var axes = RandomAxes(random, shape.Length);
            var b = new SweepCaseBuilder($"reverse_axes_{Join(axes)}_shape_{Format(shape)}");
            yield return b.Build(b.Graph.Add(new ReverseOp([.. axes]), b.Floats(shape)));
        }
    }

    // Leaves other than inputs: iota, constants, the run-time size of a symbolic axis, parameters and states.
    private static IEnumerable<SweepCase> Leaves(Random random)
    {
        foreach (var type in new[] { ElementType.F32, ElementType.I32 })
        {
            var shape = RandomShape(random);
            var axis = random.Next(shape.Length);
            var b = new SweepCaseBuilder($"iota_axis{axis}_{type.Name()}_shape_{Format(shape)}");
            var iota = b.Graph.Add(new IotaOp(axis, new TensorType(type, Shape.Of(shape))));
            // Alone, and feeding an elementwise kernel.
            var sum = type == ElementType.F32 ? b.Graph.Binary(BinaryKind.Add, iota, b.Floats(shape)) : b.Graph.Binary(BinaryKind.Mul, iota, b.Ints(shape, -3, 4));
            yield return b.Build(iota, sum);
        }
        {
            var shape = RandomShape(random);
            var b = new SweepCaseBuilder($"constant_shape_{Format(shape)}");
            var constant = b.Graph.Constant(-0.625, TensorType.F32(Shape.Of(shape)));
            yield return b.Build(constant, b.Graph.Binary(BinaryKind.Mul, constant, b.Floats(shape)));
        }
        {
            var shape = RandomShape(random, minRank: 2);
            var b = new SweepCaseBuilder($"dimsize_B_shape_B{Format(shape)}");
            var irShape = Shape.Of(shape.Select((d, a) => a == 0 ? Dim.Symbolic("B") : Dim.Of(d)));
            var x = b.Input(ElementType.F32, irShape, shape, r => r.NextDouble() * 4 - 2);
            // The mean over the symbolic axis divides by a dimsize.
            yield return b.Build(b.Graph.Binary(BinaryKind.Mul, x, b.Graph.Add(new DimSizeOp("B"))), b.Graph.Mean(x, 0));
        }
        {
            var shape = RandomShape(random);
            var b = new SweepCaseBuilder($"parameter_state_shape_{Format(shape)}");
            var type = TensorType.F32(Shape.Of(shape));
            var weight = b.Graph.Parameter("w", type, new UniformInit(-1, 1));
            var state = b.Graph.State("s", type, new NormalInit(0.5, 2));
            var x = b.Floats(shape);
            b.Graph.StateUpdate("s", b.Graph.Binary(BinaryKind.Add, state, x));
            yield return b.Build(b.Graph.Binary(BinaryKind.Mul, weight, x));
        }
    }

    // Random chains of elementwise ops (some broadcasting) ending in a reduction, to exercise fusion.
    private static IEnumerable<SweepCase> Chains(Random random)
    {
        UnaryKind[] bounded = [UnaryKind.Tanh, UnaryKind.Sin, UnaryKind.Cos, UnaryKind.Erf, UnaryKind.Neg, UnaryKind.Abs];
        BinaryKind[] safe = [BinaryKind.Add, BinaryKind.Sub, BinaryKind.Mul, BinaryKind.Max, BinaryKind.Min];
        for (var i = 0; i < 5; i++)
        {
            var shape = RandomShape(random, minRank: 2);
            var steps = Enumerable.Range(0, random.Next(3, 7)).Select(_ => random.Next(3)).ToArray();
            var axes = RandomAxes(random, shape.Length);
            var b = new SweepCaseBuilder($"chain_{Join(steps)}_reduce_{Join(axes)}_shape_{Format(shape)}");
            var x = b.Floats(shape);
            foreach (var step in steps)
            {
                x = step switch
                {
                    0 => b.Graph.Unary(bounded[random.Next(bounded.Length)], x),
                    1 => b.Graph.Binary(safe[random.Next(safe.Length)], x, b.Floats(shape)),
                    _ => b.Graph.Binary(safe[random.Next(safe.Length)], x, b.Floats([shape[^1]])),
                };
            }
            // exp of tanh: products of several steps can outgrow float32's exp range.
            yield return b.Build(x, b.Graph.Reduce(ReduceKind.Sum, b.Graph.Unary(UnaryKind.Exp, b.Graph.Unary(UnaryKind.Tanh, x)), axes));
        }
    }

    private static int RandomDim(Random random) => random.Next(1, 10);

    private static int[] RandomShape(Random random, int minRank = 1, int maxRank = 4)
    {
        var shape = Enumerable.Range(0, random.Next(minRank, maxRank + 1)).Select(_ => RandomDim(random)).ToArray();
        if (shape.Length > 0 && random.Next(4) == 0)
        {
            shape[^1] = random.Next(10, 34);
        }
        return shape;
    }

    // A nonempty, sorted subset of the axes.
    private static int[] RandomAxes(Random random, int rank)
    {
        while (true)
        {
            var axes = Enumerable.Range(0, rank).Where(_ => random.Next(2) == 0).ToArray();
            if (axes.Length > 0)
            {
                return axes;
            }
        }
    }

    private static int[] Shuffle(Random random, int[] values)
    {
        var copy = values.ToArray();
        random.Shuffle(copy);
        return copy;
    }

    private static string Format(int[] shape) => shape.Length == 0 ? "scalar" : string.Join("x", shape);

    private static string Format(Window2d w) =>
        $"k{w.KernelH}x{w.KernelW}_s{w.StrideH}x{w.StrideW}_d{w.DilationH}x{w.DilationW}";

    private static string Join(int[] values) => values.Length == 0 ? "none" : string.Join("_", values);

    private static string Letters(int[] labels) => labels.Length == 0 ? "scalar" : string.Concat(labels.Select(l => (char)('a' + l)));

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture).Replace('.', 'p');
}
