#!/usr/bin/python3
"""Golden values for the reference interpreter, computed by PyTorch in float64.

Writes one JSON file per case under tests/golden/primitives/ and the erf reference table
tests/golden/erf_reference.json. Run with Debian's python (torch 1.13, CPU):

    /usr/bin/python3 tests/golden/make_primitive_goldens.py

Each case is a tiny IR graph: named inputs, then nodes that the C# test builds with GraphBuilder
(one node for almost every case; a few compositions at the end), and the expected value of the
last node. The expected value is always computed by an independent torch formulation
(einsum, F.unfold/F.fold, index_select/index_add_, expand, F.pad, ...), never by re-running the
interpreter's loops in Python.

Case file format:
    name, description
    inputs:   [{name, dtype: f32|i32|bool, shape: [ints], ir_shape?: [int or symbol], data: [...]}]
              ir_shape is the declared IR type when it has symbolic dims (e.g. ["B", 3]);
              otherwise the declared type is shape.
    nodes:    [{name, op, args: [input or node names], ...attributes}]; op is one of
              unary(kind) binary(kind, scalar?) compare(kind) select cast(to) reduce(kind, axes)
              mean(axes) contract(left, right, output) reshape(target) permute(permutation)
              broadcast(target, axes) slice(ranges: [[axis, start, end]]) pad(padding:
              [[axis, low, high]], value) concat(axis) reverse(axes) unfold(window) fold(window,
              height, width) gather(axis) scatter_add(axis, size) constant(value, dtype, shape)
              iota(axis, dtype, shape) dimsize(symbol). window = [kh, kw, sh, sw, dh, dw].
              binary with two args of different shapes broadcasts numpy-style (GraphBuilder.Binary).
    expected: {dtype, shape, data}
Floats are written with repr (round-trip exact); NaN and infinities as the strings
"NaN", "Infinity", "-Infinity"; i32 and bool values as integers.
"""

import json
import math
import os
import zlib

import mpmath
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "primitives")

F64, I32, BOOL = torch.float64, torch.int32, torch.bool
DTYPE_NAMES = {F64: "f32", I32: "i32", BOOL: "bool"}
SPECIALS = [0.0, -0.0, math.inf, -math.inf, math.nan]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def number(value, dtype):
    if dtype != F64:
        return int(value)
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def tensor_record(t):
    return {
        "dtype": DTYPE_NAMES[t.dtype],
        "shape": list(t.shape),
        "data": [number(v, t.dtype) for v in t.reshape(-1).tolist()],
    }


class Case:
    """One golden case; its random stream depends only on its name."""

    def __init__(self, name, description):
        self.name = name
        self.description = description
        self.generator = torch.Generator().manual_seed(zlib.crc32(name.encode()))
        self.inputs = []
        self.nodes = []
        self.expected = None

    # Random data ---------------------------------------------------------------------------
    def randn(self, *shape, scale=1.0):
        return torch.randn(shape, generator=self.generator, dtype=F64) * scale

    def uniform(self, low, high, *shape):
        return low + (high - low) * torch.rand(shape, generator=self.generator, dtype=F64)

    def randint(self, low, high, *shape):
        return torch.randint(low, high, shape, generator=self.generator, dtype=I32)

    def coin(self, *shape):
        return torch.rand(shape, generator=self.generator) < 0.5

    # Graph ---------------------------------------------------------------------------------
    def input(self, name, t, ir_shape=None):
        record = {"name": name, **tensor_record(t)}
        if ir_shape is not None:
            record["ir_shape"] = ir_shape
        record = {k: record[k] for k in ["name", "dtype", "shape", "ir_shape", "data"] if k in record}
        self.inputs.append(record)
        return t

    def node(self, op, args, **attributes):
        name = f"n{len(self.nodes)}"
        self.nodes.append({"name": name, "op": op, "args": list(args), **attributes})
        return name

    def expect(self, t):
        self.expected = tensor_record(t)

    def write(self):
        assert self.expected is not None, self.name
        lines = ["{"]
        lines.append(f'  "name": {json.dumps(self.name)},')
        lines.append(f'  "description": {json.dumps(self.description)},')
        lines.append('  "inputs": [' + ("" if self.inputs else "],"))
        for i, record in enumerate(self.inputs):
            lines.append("    " + json.dumps(record) + ("," if i + 1 < len(self.inputs) else ""))
        if self.inputs:
            lines.append("  ],")
        lines.append('  "nodes": [')
        for i, record in enumerate(self.nodes):
            lines.append("    " + json.dumps(record) + ("," if i + 1 < len(self.nodes) else ""))
        lines.append("  ],")
        lines.append(f'  "expected": {json.dumps(self.expected)}')
        lines.append("}")
        with open(os.path.join(OUT_DIR, self.name + ".json"), "w") as f:
            f.write("\n".join(lines) + "\n")


CASES = []


def case(name, description):
    c = Case(name, description)
    CASES.append(c)
    return c


# Elementwise ------------------------------------------------------------------------------

def with_specials(t):
    return torch.cat([t.reshape(-1), torch.tensor(SPECIALS, dtype=F64)])


def unary_cases():
    domains = {
        "neg": lambda c: c.randn(20, scale=3.0),
        "exp": lambda c: c.randn(20, scale=4.0),
        "log": lambda c: torch.exp(c.randn(20, scale=5.0)),
        "sqrt": lambda c: torch.exp(c.randn(20, scale=4.0)),
        "reciprocal": lambda c: c.randn(20, scale=3.0),
        "tanh": lambda c: c.randn(20, scale=3.0),
        # Wide range: tiny, moderate, both sides of 2.5 and of 6 (where erf saturates).
        "erf": lambda c: torch.cat([
            c.randn(16, scale=2.0),
            torch.tensor([1e-300, -3e-200, 1e-12, -2.4999, 2.5, 2.5001, -3.7, 5.9, -6.0, 6.5, 27.0]),
            torch.linspace(-7.0, 7.0, 29, dtype=F64),
        ]),
        "sin": lambda c: c.randn(20, scale=10.0),
        "cos": lambda c: c.randn(20, scale=10.0),
        "abs": lambda c: c.randn(20, scale=3.0),
        "sign": lambda c: torch.cat([c.randn(16), torch.zeros(2, dtype=F64)]),
    }
    functions = {
        "neg": torch.neg, "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt,
        "reciprocal": torch.reciprocal, "tanh": torch.tanh, "erf": torch.erf, "sin": torch.sin,
        "cos": torch.cos, "abs": torch.abs, "sign": torch.sign,
    }
    for kind, domain in domains.items():
        c = case(f"unary_{kind}", f"{kind} over its natural domain, then 0, -0, +inf, -inf, NaN")
        data = with_specials(domain(c))
        x = c.input("x", data.reshape(-1))
        c.node("unary", ["x"], kind=kind)
        c.expect(functions[kind](x))

    for kind in ["neg", "abs", "sign"]:
        c = case(f"unary_i32_{kind}", f"{kind} of i32 values, including 0 and negatives")
        x = c.input("x", c.randint(-50, 50, 3, 4))
        c.node("unary", ["x"], kind=kind)
        c.expect({"neg": torch.neg, "abs": torch.abs, "sign": torch.sign}[kind](x))


def binary_cases():
    functions = {
        "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
        "max": torch.maximum, "min": torch.minimum, "pow": torch.pow,
    }
    for kind, function in functions.items():
        c = case(f"binary_{kind}", f"{kind} of two f32 tensors of equal shape")
        if kind == "pow":
            a = c.input("a", c.uniform(0.05, 4.0, 3, 5))
            b = c.input("b", c.uniform(-3.0, 3.0, 3, 5))
        else:
            a = c.input("a", c.randn(3, 5, scale=2.0))
            b = c.input("b", c.randn(3, 5, scale=2.0))
        c.node("binary", ["a", "b"], kind=kind)
        c.expect(function(a, b))

    for kind, function in [("max", torch.maximum), ("min", torch.minimum)]:
        c = case(f"binary_{kind}_nan", f"{kind} propagates NaN from either side; infinities and ties")
        a = c.input("a", torch.tensor([math.nan, 1.0, 2.0, -math.inf, 3.0, math.nan, -0.5], dtype=F64))
        b = c.input("b", torch.tensor([1.0, math.nan, 2.0, 5.0, math.inf, math.nan, -math.inf], dtype=F64))
        c.node("binary", ["a", "b"], kind=kind)
        c.expect(function(a, b))

    c = case("binary_add_broadcast_size1", "[3,1,4] + [1,5,1]: size-1 axes stretch on both sides")
    a = c.input("a", c.randn(3, 1, 4))
    b = c.input("b", c.randn(1, 5, 1))
    c.node("binary", ["a", "b"], kind="add")
    c.expect(a + b)

    c = case("binary_mul_broadcast_new_axes", "[2,3,4] * [4]: missing leading axes are added")
    a = c.input("a", c.randn(2, 3, 4))
    b = c.input("b", c.randn(4))
    c.node("binary", ["a", "b"], kind="mul")
    c.expect(a * b)

    c = case("binary_sub_broadcast_scalar", "[] - [2,3]: a scalar broadcast to a matrix")
    a = c.input("a", torch.tensor(1.25, dtype=F64))
    b = c.input("b", c.randn(2, 3))
    c.node("binary", ["a", "b"], kind="sub")
    c.expect(a - b)

    c = case("binary_div_broadcast_symbolic", "[B,3] / [3] with B bound to 4 at run time")
    a = c.input("a", c.randn(4, 3), ir_shape=["B", 3])
    b = c.input("b", c.uniform(0.5, 2.0, 3))
    c.node("binary", ["a", "b"], kind="div")
    c.expect(a / b)

    c = case("binary_mul_scalar", "x * 0.5 through the GraphBuilder helper that adds a constant")
    x = c.input("x", c.randn(2, 3))
    c.node("binary", ["x"], kind="mul", scalar=0.5)
    c.expect(x * 0.5)

    int_functions = {
        "add": torch.add, "sub": torch.sub, "mul": torch.mul,
        "div": lambda a, b: torch.div(a, b, rounding_mode="trunc"),
        "max": torch.maximum, "min": torch.minimum, "pow": torch.pow,
    }
    for kind, function in int_functions.items():
        c = case(f"binary_i32_{kind}", f"i32 {kind}" + (" (truncating toward zero)" if kind == "div" else ""))
        if kind == "pow":
            a = c.input("a", c.randint(-6, 7, 2, 6))
            b = c.input("b", c.randint(0, 6, 2, 6))
        elif kind == "div":
            a = c.input("a", c.randint(-40, 40, 2, 6))
            magnitude = c.randint(1, 7, 2, 6)
            b = c.input("b", torch.where(c.coin(2, 6), magnitude, -magnitude))
        else:
            a = c.input("a", c.randint(-1000, 1000, 2, 6))
            b = c.input("b", c.randint(-1000, 1000, 2, 6))
        c.node("binary", ["a", "b"], kind=kind)
        c.expect(function(a, b))


def compare_select_cast_cases():
    functions = {"eq": torch.eq, "ne": torch.ne, "lt": torch.lt, "le": torch.le, "gt": torch.gt, "ge": torch.ge}
    for kind, function in functions.items():
        c = case(f"compare_{kind}", f"{kind} on f32 with many ties (values in steps of 0.5) and NaN")
        a = torch.round(c.randn(4, 5) * 2) / 2
        b = torch.round(c.randn(4, 5) * 2) / 2
        a[0, 0] = math.nan
        b[1, 1] = math.nan
        a[2, 2] = b[2, 2] = math.inf
        a = c.input("a", a)
        b = c.input("b", b)
        c.node("compare", ["a", "b"], kind=kind)
        c.expect(function(a, b))

    c = case("compare_lt_i32", "lt on i32")
    a = c.input("a", c.randint(-3, 3, 3, 4))
    b = c.input("b", c.randint(-3, 3, 3, 4))
    c.node("compare", ["a", "b"], kind="lt")
    c.expect(a < b)

    c = case("compare_eq_bool", "eq on bool")
    a = c.input("a", c.coin(3, 4))
    b = c.input("b", c.coin(3, 4))
    c.node("compare", ["a", "b"], kind="eq")
    c.expect(a == b)

    c = case("compare_gt_broadcast", "[3,1] > [4] broadcasts before comparing")
    a = c.input("a", c.randn(3, 1))
    b = c.input("b", c.randn(4))
    c.node("compare", ["a", "b"], kind="gt")
    c.expect(a > b)

    c = case("select_f32", "select with a bool input as the condition")
    cond = c.input("cond", c.coin(3, 4))
    a = c.input("a", c.randn(3, 4))
    b = c.input("b", c.randn(3, 4))
    c.node("select", ["cond", "a", "b"])
    c.expect(torch.where(cond, a, b))

    c = case("select_i32", "select between i32 tensors")
    cond = c.input("cond", c.coin(2, 5))
    a = c.input("a", c.randint(-9, 9, 2, 5))
    b = c.input("b", c.randint(-9, 9, 2, 5))
    c.node("select", ["cond", "a", "b"])
    c.expect(torch.where(cond, a, b))

    c = case("compare_select_relu", "relu as select(x > 0, x, 0): compare feeding select")
    x = c.input("x", c.randn(4, 5))
    zero = c.input("zero", torch.zeros(4, 5, dtype=F64))
    positive = c.node("compare", ["x", "zero"], kind="gt")
    c.node("select", [positive, "x", "zero"])
    c.expect(F.relu(x))

    c = case("cast_f32_to_i32", "f32 -> i32 truncates toward zero")
    x = c.input("x", torch.cat([c.randn(10, scale=20.0), torch.tensor([-2.5, -0.5, 0.5, 2.5, -0.0, 7.0], dtype=F64)]))
    c.node("cast", ["x"], to="i32")
    c.expect(x.to(I32))

    c = case("cast_f32_to_bool", "f32 -> bool is x != 0; NaN is true")
    x = c.input("x", torch.tensor([0.0, -0.0, 1.5, -2.0, math.nan, math.inf, 1e-300], dtype=F64))
    c.node("cast", ["x"], to="bool")
    c.expect(x.to(BOOL))

    c = case("cast_f32_to_f32", "a cast to the same type is the identity (built as a raw CastOp)")
    x = c.input("x", c.randn(2, 3))
    c.node("cast", ["x"], to="f32")
    c.expect(x.clone())

    for source, target in [("i32", "f32"), ("i32", "bool"), ("bool", "f32"), ("bool", "i32")]:
        c = case(f"cast_{source}_to_{target}", f"{source} -> {target}")
        data = c.randint(-5, 5, 3, 4) if source == "i32" else c.coin(3, 4)
        x = c.input("x", data)
        c.node("cast", ["x"], to=target)
        c.expect(x.to({"f32": F64, "i32": I32, "bool": BOOL}[target]))


# Reductions -------------------------------------------------------------------------------

def reduce_cases():
    specs = [
        ("reduce_sum_axis0", "sum", [0], (4, 3)),
        ("reduce_sum_axes12", "sum", [1, 2], (2, 3, 4)),
        ("reduce_sum_axes02_rank4", "sum", [0, 2], (2, 3, 4, 5)),
        ("reduce_sum_unsorted_axes", "sum", [2, 0], (3, 2, 4)),
        ("reduce_sum_all", "sum", [0, 1, 2], (2, 3, 4)),
        ("reduce_max_axis1", "max", [1], (3, 5)),
        ("reduce_max_axes02", "max", [0, 2], (3, 2, 4)),
        ("reduce_max_all", "max", [0, 1], (4, 6)),
    ]
    for name, kind, axes, shape in specs:
        c = case(name, f"{kind} over axes {axes} of {list(shape)}")
        x = c.input("x", c.randn(*shape))
        c.node("reduce", ["x"], kind=kind, axes=axes)
        c.expect(torch.sum(x, dim=tuple(axes)) if kind == "sum" else torch.amax(x, dim=tuple(axes)))

    c = case("reduce_max_nan_inf", "max propagates NaN; -inf rows stay -inf")
    x = c.input("x", torch.tensor([[1.0, math.nan, 3.0], [-math.inf, -math.inf, -math.inf], [2.0, math.inf, 0.0]], dtype=F64))
    c.node("reduce", ["x"], kind="max", axes=[1])
    c.expect(torch.amax(x, dim=1))

    c = case("reduce_sum_no_axes", "a reduction over no axes is the identity (raw ReduceOp)")
    x = c.input("x", c.randn(2, 3))
    c.node("reduce", ["x"], kind="sum", axes=[])
    c.expect(x.clone())  # torch.sum(x, dim=()) would sum everything

    c = case("reduce_sum_symbolic_batch", "sum over the symbolic batch axis of [B,3,2], B = 5")
    x = c.input("x", c.randn(5, 3, 2), ir_shape=["B", 3, 2])
    c.node("reduce", ["x"], kind="sum", axes=[0])
    c.expect(torch.sum(x, dim=0))

    c = case("mean_symbolic_batch", "GraphBuilder.Mean over [B,4] axes 0 and 1: divides by dimsize(B)")
    x = c.input("x", c.randn(3, 4), ir_shape=["B", 4])
    c.node("mean", ["x"], axes=[0, 1])
    c.expect(torch.mean(x))


# Contraction ------------------------------------------------------------------------------

def labels(text):
    return [LETTERS.index(ch) for ch in text]


def contract_cases():
    specs = [
        ("contract_matmul", "ij,jk->ik", [(3, 4), (4, 5)], None),
        ("contract_matmul_transposed_out", "ij,jk->ki", [(3, 4), (4, 2)], None),
        ("contract_batched_matmul", "bij,bjk->bik", [(2, 3, 4), (2, 4, 5)], None),
        ("contract_linear_symbolic", "bti,oi->bto", [(3, 2, 5), (6, 5)], [["B", 2, 5], None]),
        ("contract_attention_scores", "bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)], None),
        # A convolution: unfolded input (n, c, kh, kw, y, x) against weights (o, c, kh, kw).
        ("contract_conv_like", "ncijyx,ocij->noyx", [(2, 3, 2, 3, 4, 5), (4, 3, 2, 3)], None),
        ("contract_outer", "i,j->ij", [(3,), (4,)], None),
        ("contract_dot", "i,i->", [(6,), (6,)], None),
        ("contract_one_sided_sum", "ij,k->i", [(3, 4), (5,)], None),
        ("contract_batch_outer", "bi,bj->bij", [(2, 3), (2, 4)], None),
        ("contract_many_labels", "abcde,cdefg->gbaf", [(2, 3, 2, 3, 2), (2, 3, 2, 3, 2)], None),
    ]
    for name, equation, shapes, ir_shapes in specs:
        c = case(name, f"einsum {equation}")
        (left, right), output = equation.split("->")[0].split(","), equation.split("->")[1]
        a = c.input("a", c.randn(*shapes[0]), ir_shape=ir_shapes[0] if ir_shapes else None)
        b = c.input("b", c.randn(*shapes[1]), ir_shape=ir_shapes[1] if ir_shapes else None)
        c.node("contract", ["a", "b"], left=labels(left), right=labels(right), output=labels(output))
        c.expect(torch.einsum(equation, a, b))


# Movement ---------------------------------------------------------------------------------

def movement_cases():
    for name, shape, target, ir_shape in [
        ("reshape_merge", (2, 3, 4), [6, 4], None),
        ("reshape_split", (4, 6), [2, 2, 3, 2], None),
        ("reshape_scalar", (), [1, 1], None),
        ("reshape_symbolic", (3, 2, 3), ["B", 6], ["B", 2, 3]),
    ]:
        c = case(name, f"reshape {list(shape)} to {target}")
        x = c.input("x", c.randn(*shape), ir_shape=ir_shape)
        c.node("reshape", ["x"], target=target)
        c.expect(x.reshape([s if isinstance(s, int) else x.shape[0] for s in target]))

    for name, shape, permutation in [
        ("permute_transpose", (3, 4), [1, 0]),
        ("permute_rank4", (2, 3, 4, 5), [2, 0, 3, 1]),
    ]:
        c = case(name, f"permute {list(shape)} by {permutation}")
        x = c.input("x", c.randn(*shape))
        c.node("permute", ["x"], permutation=permutation)
        c.expect(x.permute(*permutation))

    for name, shape, target, axes, ir_shape, description in [
        ("broadcast_size1_and_new_axis", (3, 1), [2, 3, 4], [1, 2], None, "size-1 axis stretches, new leading axis"),
        ("broadcast_new_trailing_axis", (4,), [4, 3], [0], None, "new trailing axis"),
        ("broadcast_all_size1", (1, 1), [2, 3], [0, 1], None, "both axes size 1"),
        ("broadcast_scalar", (), [2, 2], [], None, "scalar to a matrix"),
        ("broadcast_new_middle_axis", (2, 4), [2, 3, 4], [0, 2], None, "new axis between kept ones"),
        ("broadcast_symbolic", (5, 1), ["B", 4], [0, 1], ["B", 1], "[B,1] to [B,4], B = 5"),
    ]:
        c = case(name, f"broadcast {list(shape)} to {target} along {axes}: {description}")
        x = c.input("x", c.randn(*shape), ir_shape=ir_shape)
        c.node("broadcast", ["x"], target=target, axes=axes)
        concrete = [s if isinstance(s, int) else shape[0] for s in target]
        view = [1] * len(target)
        for i, axis in enumerate(axes):
            view[axis] = shape[i]
        c.expect(x.reshape(view).expand(concrete))

    c = case("slice_one_axis", "rows 1..4 of [5,6]")
    x = c.input("x", c.randn(5, 6))
    c.node("slice", ["x"], ranges=[[0, 1, 4]])
    c.expect(x[1:4])

    c = case("slice_two_axes", "axis 0 1..3 and axis 2 0..2 of [4,3,5]")
    x = c.input("x", c.randn(4, 3, 5))
    c.node("slice", ["x"], ranges=[[0, 1, 3], [2, 0, 2]])
    c.expect(x[1:3, :, 0:2])

    c = case("slice_same_axis_twice", "ranges apply in order: axis 1 1..5, then 1..3 of that")
    x = c.input("x", c.randn(3, 6))
    c.node("slice", ["x"], ranges=[[1, 1, 5], [1, 1, 3]])
    c.expect(x[:, 1:5][:, 1:3])

    c = case("slice_symbolic_batch", "axis 1 2..4 of [B,5], B = 3")
    x = c.input("x", c.randn(3, 5), ir_shape=["B", 5])
    c.node("slice", ["x"], ranges=[[1, 2, 4]])
    c.expect(x[:, 2:4])

    c = case("pad_two_axes_value", "pad [3,4]: axis 0 by 1+2, axis 1 by 0+3, with 1.5")
    x = c.input("x", c.randn(3, 4))
    c.node("pad", ["x"], padding=[[0, 1, 2], [1, 0, 3]], value=1.5)
    c.expect(F.pad(x, (0, 3, 1, 2), value=1.5))

    c = case("pad_rank3_negative_value", "pad the last axis of [2,3,2] by 2+1 with -2.5")
    x = c.input("x", c.randn(2, 3, 2))
    c.node("pad", ["x"], padding=[[2, 2, 1]], value=-2.5)
    c.expect(F.pad(x, (2, 1), value=-2.5))

    c = case("pad_same_axis_twice", "pad axis 0 by 1+0 then by 0+2, with 0")
    x = c.input("x", c.randn(2, 3))
    c.node("pad", ["x"], padding=[[0, 1, 0], [0, 0, 2]], value=0.0)
    c.expect(F.pad(F.pad(x, (0, 0, 1, 0)), (0, 0, 0, 2)))

    c = case("concat_three_axis1", "concat [2,1,3], [2,4,3], [2,2,3] along axis 1")
    a = c.input("a", c.randn(2, 1, 3))
    b = c.input("b", c.randn(2, 4, 3))
    d = c.input("d", c.randn(2, 2, 3))
    c.node("concat", ["a", "b", "d"], axis=1)
    c.expect(torch.cat([a, b, d], dim=1))

    c = case("concat_three_axis0", "concat [1,4], [3,4], [2,4] along axis 0")
    a = c.input("a", c.randn(1, 4))
    b = c.input("b", c.randn(3, 4))
    d = c.input("d", c.randn(2, 4))
    c.node("concat", ["a", "b", "d"], axis=0)
    c.expect(torch.cat([a, b, d], dim=0))

    c = case("concat_symbolic_batch", "concat [B,2] and [B,3] along axis 1, B = 4")
    a = c.input("a", c.randn(4, 2), ir_shape=["B", 2])
    b = c.input("b", c.randn(4, 3), ir_shape=["B", 3])
    c.node("concat", ["a", "b"], axis=1)
    c.expect(torch.cat([a, b], dim=1))

    c = case("concat_i32", "concat of i32 tensors along axis 0")
    a = c.input("a", c.randint(-9, 9, 2, 3))
    b = c.input("b", c.randint(-9, 9, 1, 3))
    c.node("concat", ["a", "b"], axis=0)
    c.expect(torch.cat([a, b], dim=0))

    for name, shape, axes in [
        ("reverse_axes02", (2, 3, 4), [0, 2]),
        ("reverse_axis1", (3, 5), [1]),
        ("reverse_no_axes", (2, 3), []),
    ]:
        c = case(name, f"reverse {list(shape)} along {axes}")
        x = c.input("x", c.randn(*shape))
        c.node("reverse", ["x"], axes=axes)
        c.expect(torch.flip(x, dims=axes) if axes else x.clone())


# Windows ----------------------------------------------------------------------------------

def torch_unfold(x, window):
    kh, kw, sh, sw, dh, dw = window
    lead, (height, width) = list(x.shape[:-2]), x.shape[-2:]
    columns = F.unfold(x.reshape(-1, 1, height, width), kernel_size=(kh, kw), dilation=(dh, dw), stride=(sh, sw))
    out_h = (height - (dh * (kh - 1) + 1)) // sh + 1
    out_w = (width - (dw * (kw - 1) + 1)) // sw + 1
    return columns.reshape(lead + [kh, kw, out_h, out_w])


def torch_fold(x, window, height, width):
    kh, kw, sh, sw, dh, dw = window
    lead = list(x.shape[:-4])
    columns = x.reshape(-1, kh * kw, x.shape[-2] * x.shape[-1])
    grid = F.fold(columns, output_size=(height, width), kernel_size=(kh, kw), dilation=(dh, dw), stride=(sh, sw))
    return grid.reshape(lead + [height, width])


def positions(size, kernel, stride, dilation):
    return (size - (dilation * (kernel - 1) + 1)) // stride + 1


def window_cases():
    for name, shape, window, description in [
        ("unfold_3x3", (2, 3, 7, 8), [3, 3, 1, 1, 1, 1], "3x3, stride 1"),
        ("unfold_nonsquare_stride_dilation", (1, 2, 9, 10), [2, 3, 2, 1, 1, 2], "2x3, stride 2x1, dilation 1x2"),
        ("unfold_stride2_dilation2", (2, 1, 11, 9), [3, 2, 2, 2, 2, 2], "3x2, stride 2, dilation 2"),
        ("unfold_rank2", (7, 6), [2, 2, 3, 2, 1, 2], "no leading axes"),
        ("unfold_rank5", (2, 2, 3, 5, 6), [2, 3, 1, 2, 2, 1], "three leading axes"),
    ]:
        c = case(name, f"unfold {list(shape)}: {description}")
        x = c.input("x", c.randn(*shape))
        c.node("unfold", ["x"], window=window)
        c.expect(torch_unfold(x, window))

    for name, lead, window, height, width, description in [
        ("fold_3x3", [2, 3], [3, 3, 1, 1, 1, 1], 6, 7, "3x3, stride 1 (heavy overlap)"),
        ("fold_nonsquare_stride_dilation", [2], [2, 3, 2, 1, 1, 2], 9, 10, "2x3, stride 2x1, dilation 1x2; last row uncovered"),
        ("fold_stride2_dilation2", [1, 2], [3, 2, 2, 2, 2, 2], 11, 10, "3x2, stride 2, dilation 2; gaps"),
        ("fold_rank4", [], [2, 2, 3, 2, 1, 2], 8, 7, "no leading axes"),
    ]:
        kh, kw, sh, sw, dh, dw = window
        shape = lead + [kh, kw, positions(height, kh, sh, dh), positions(width, kw, sw, dw)]
        c = case(name, f"fold {shape} onto {height}x{width}: {description}")
        x = c.input("x", c.randn(*shape))
        c.node("fold", ["x"], window=window, height=height, width=width)
        c.expect(torch_fold(x, window, height, width))


# Indexing ---------------------------------------------------------------------------------

def torch_gather(table, indices, axis):
    rows = table.shape[axis]
    flat = indices.clamp(0, rows - 1).reshape(-1).long()
    picked = torch.index_select(table, axis, flat)
    return picked.reshape(list(table.shape[:axis]) + list(indices.shape) + list(table.shape[axis + 1:]))


def torch_scatter_add(updates, indices, axis, size):
    rank = indices.dim()
    rest = list(updates.shape[axis + rank:])
    out = torch.zeros(list(updates.shape[:axis]) + [size] + rest, dtype=F64)
    flat = indices.clamp(0, size - 1).reshape(-1).long()
    return out.index_add_(axis, flat, updates.reshape(list(updates.shape[:axis]) + [-1] + rest))


def indexing_cases():
    c = case("gather_axis0_embedding", "embedding lookup: table [5,4], indices [2,3] with -2 and 7 clamped")
    table = c.input("table", c.randn(5, 4))
    indices = c.input("indices", torch.tensor([[0, 4, -2], [7, 2, 2]], dtype=I32))
    c.node("gather", ["table", "indices"], axis=0)
    c.expect(torch_gather(table, indices, 0))

    c = case("gather_axis1_multidim", "table [3,6,2], indices [2,2] on axis 1 -> [3,2,2,2]")
    table = c.input("table", c.randn(3, 6, 2))
    indices = c.input("indices", c.randint(0, 6, 2, 2))
    c.node("gather", ["table", "indices"], axis=1)
    c.expect(torch_gather(table, indices, 1))

    c = case("gather_axis1_trailing_axes", "table [2,5,3,2], indices [2,3] on axis 1 -> [2,2,3,3,2]")
    table = c.input("table", c.randn(2, 5, 3, 2))
    indices = c.input("indices", c.randint(0, 5, 2, 3))
    c.node("gather", ["table", "indices"], axis=1)
    c.expect(torch_gather(table, indices, 1))

    c = case("gather_last_axis", "table [2,3,5], indices [4] on axis 2")
    table = c.input("table", c.randn(2, 3, 5))
    indices = c.input("indices", torch.tensor([4, 0, 9, -1], dtype=I32))
    c.node("gather", ["table", "indices"], axis=2)
    c.expect(torch_gather(table, indices, 2))

    c = case("gather_scalar_index", "a rank-0 index removes the axis: table [3,4], index [] on axis 1")
    table = c.input("table", c.randn(3, 4))
    indices = c.input("indices", torch.tensor(2, dtype=I32))
    c.node("gather", ["table", "indices"], axis=1)
    c.expect(torch_gather(table, indices, 1))

    c = case("gather_i32_table", "gather rows of an i32 table")
    table = c.input("table", c.randint(-100, 100, 4, 3))
    indices = c.input("indices", torch.tensor([3, 1, 1], dtype=I32))
    c.node("gather", ["table", "indices"], axis=0)
    c.expect(torch_gather(table, indices, 0))

    c = case("gather_symbolic_indices", "table [6,4], indices [B,3] with B = 2")
    table = c.input("table", c.randn(6, 4))
    indices = c.input("indices", c.randint(0, 6, 2, 3), ir_shape=["B", 3])
    c.node("gather", ["table", "indices"], axis=0)
    c.expect(torch_gather(table, indices, 0))

    c = case("scatter_add_axis0_repeats", "updates [2,3,4] by indices [2,3] with repeats into 5 rows")
    updates = c.input("updates", c.randn(2, 3, 4))
    indices = c.input("indices", torch.tensor([[1, 3, 1], [1, 0, 3]], dtype=I32))
    c.node("scatter_add", ["updates", "indices"], axis=0, size=5)
    c.expect(torch_scatter_add(updates, indices, 0, 5))

    c = case("scatter_add_axis1", "updates [3,4,2] by indices [4] (repeats) into 3 rows of axis 1")
    updates = c.input("updates", c.randn(3, 4, 2))
    indices = c.input("indices", torch.tensor([2, 0, 2, 2], dtype=I32))
    c.node("scatter_add", ["updates", "indices"], axis=1, size=3)
    c.expect(torch_scatter_add(updates, indices, 1, 3))

    c = case("scatter_add_axis1_multidim", "updates [3,2,2,5] by indices [2,2] on axis 1, size 4")
    updates = c.input("updates", c.randn(3, 2, 2, 5))
    indices = c.input("indices", torch.tensor([[3, 0], [3, 3]], dtype=I32))
    c.node("scatter_add", ["updates", "indices"], axis=1, size=4)
    c.expect(torch_scatter_add(updates, indices, 1, 4))

    c = case("scatter_add_axis1_trailing_axes", "updates [2,2,3,4,2] by indices [2,3] on axis 1, size 4 -> [2,4,4,2]")
    updates = c.input("updates", c.randn(2, 2, 3, 4, 2))
    indices = c.input("indices", torch.tensor([[3, 0, 3], [1, 3, 0]], dtype=I32))
    c.node("scatter_add", ["updates", "indices"], axis=1, size=4)
    c.expect(torch_scatter_add(updates, indices, 1, 4))

    c = case("scatter_add_clamped", "out-of-range indices clamp like gather's: -3 -> 0, 9 -> 3")
    updates = c.input("updates", c.randn(5, 2))
    indices = c.input("indices", torch.tensor([-3, 9, 1, 3, 0], dtype=I32))
    c.node("scatter_add", ["updates", "indices"], axis=0, size=4)
    c.expect(torch_scatter_add(updates, indices, 0, 4))


# Leaves -----------------------------------------------------------------------------------

def leaf_cases():
    c = case("constant_f32", "a [2,3] f32 constant 0.25")
    c.node("constant", [], value=0.25, dtype="f32", shape=[2, 3])
    c.expect(torch.full((2, 3), 0.25, dtype=F64))

    c = case("constant_i32", "a [4] i32 constant 7")
    c.node("constant", [], value=7, dtype="i32", shape=[4])
    c.expect(torch.full((4,), 7, dtype=I32))

    c = case("constant_symbolic", "a [B,2] constant -1.5; B = 3 bound by an unused input")
    c.input("x", c.randn(3), ir_shape=["B"])
    c.node("constant", [], value=-1.5, dtype="f32", shape=["B", 2])
    c.expect(torch.full((3, 2), -1.5, dtype=F64))

    c = case("iota_f32_axis1", "f32 iota along axis 1 of [3,4]")
    c.node("iota", [], axis=1, dtype="f32", shape=[3, 4])
    c.expect(torch.arange(4, dtype=F64).expand(3, 4))

    c = case("iota_i32_axis0", "i32 iota along axis 0 of [5,2]")
    c.node("iota", [], axis=0, dtype="i32", shape=[5, 2])
    c.expect(torch.arange(5, dtype=I32).reshape(5, 1).expand(5, 2))

    c = case("iota_symbolic", "i32 iota along axis 0 of [B,3]; B = 4 bound by an unused input")
    c.input("x", c.randn(4, 2), ir_shape=["B", 2])
    c.node("iota", [], axis=0, dtype="i32", shape=["B", 3])
    c.expect(torch.arange(4, dtype=I32).reshape(4, 1).expand(4, 3))

    c = case("dimsize", "dimsize(B) where an input [B,4] has B = 5")
    x = c.input("x", c.randn(5, 4), ir_shape=["B", 4])
    c.node("dimsize", [], symbol="B")
    c.expect(torch.tensor(float(x.shape[0]), dtype=F64))


# Compositions -----------------------------------------------------------------------------

def composition_cases():
    c = case("composite_softmax", "softmax over the last axis of [B,5] from primitives, B = 3")
    x = c.input("x", c.randn(3, 5, scale=3.0), ir_shape=["B", 5])
    peak = c.node("reduce", ["x"], kind="max", axes=[1])
    peak2 = c.node("reshape", [peak], target=["B", 1])
    shifted = c.node("binary", ["x", peak2], kind="sub")
    e = c.node("unary", [shifted], kind="exp")
    total = c.node("reduce", [e], kind="sum", axes=[1])
    total2 = c.node("reshape", [total], target=["B", 1])
    c.node("binary", [e, total2], kind="div")
    c.expect(torch.softmax(x, dim=1))

    c = case("composite_gelu_erf", "exact gelu 0.5*x*(1+erf(x/sqrt 2)) against F.gelu")
    x = c.input("x", c.randn(4, 6, scale=3.0))
    scaled = c.node("binary", ["x"], kind="mul", scalar=1 / math.sqrt(2))
    e = c.node("unary", [scaled], kind="erf")
    one_plus = c.node("binary", [e], kind="add", scalar=1.0)
    half = c.node("binary", ["x"], kind="mul", scalar=0.5)
    c.node("binary", [half, one_plus], kind="mul")
    c.expect(F.gelu(x))

    c = case("composite_conv2d", "pad + unfold + contract against F.conv2d (stride 2, dilation 2, padding 1)")
    x = c.input("x", c.randn(2, 3, 8, 9))
    w = c.input("w", c.randn(4, 3, 3, 2))
    padded = c.node("pad", ["x"], padding=[[2, 1, 1], [3, 1, 1]], value=0.0)
    windows = c.node("unfold", [padded], window=[3, 2, 2, 2, 2, 2])
    c.node("contract", [windows, "w"], left=labels("ncijyx"), right=labels("ocij"), output=labels("noyx"))
    c.expect(F.conv2d(x, w, stride=2, padding=1, dilation=2))

    c = case("composite_layernorm", "layer norm over the last axis of [B,6] with GraphBuilder.Mean, B = 4")
    x = c.input("x", c.randn(4, 6, scale=2.0), ir_shape=["B", 6])
    mu = c.node("mean", ["x"], axes=[1])
    mu2 = c.node("reshape", [mu], target=["B", 1])
    centered = c.node("binary", ["x", mu2], kind="sub")
    squared = c.node("binary", [centered, centered], kind="mul")
    var = c.node("mean", [squared], axes=[1])
    var2 = c.node("reshape", [var], target=["B", 1])
    eps = c.node("binary", [var2], kind="add", scalar=1e-5)
    root = c.node("unary", [eps], kind="sqrt")
    inv = c.node("unary", [root], kind="reciprocal")
    c.node("binary", [centered, inv], kind="mul")
    c.expect(F.layer_norm(x, (6,), eps=1e-5))

    c = case("composite_cross_entropy", "mean cross-entropy of logits [B,4] and i32 labels [B] via a one-hot (iota == label), B = 5")
    logits = c.input("logits", c.randn(5, 4, scale=2.0), ir_shape=["B", 4])
    targets = c.input("labels", c.randint(0, 4, 5), ir_shape=["B"])
    peak = c.node("reduce", ["logits"], kind="max", axes=[1])
    peak2 = c.node("reshape", [peak], target=["B", 1])
    shifted = c.node("binary", ["logits", peak2], kind="sub")
    lse = c.node("unary", [c.node("reduce", [c.node("unary", [shifted], kind="exp")], kind="sum", axes=[1])], kind="log")
    # Pick logit[b, label[b]]: one-hot by comparing labels with an iota, then sum.
    classes = c.node("iota", [], axis=1, dtype="i32", shape=["B", 4])
    labels2 = c.node("reshape", ["labels"], target=["B", 1])
    hot = c.node("cast", [c.node("compare", [classes, labels2], kind="eq")], to="f32")
    picked = c.node("reduce", [c.node("binary", [shifted, hot], kind="mul")], kind="sum", axes=[1])
    c.node("mean", [c.node("binary", [lse, picked], kind="sub")], axes=[0])
    c.expect(F.cross_entropy(logits, targets.long()))


# Erf reference table ----------------------------------------------------------------------

def write_erf_reference():
    """Erf at points across the real line, correctly rounded by mpmath at 200 bits; torch's
    float64 erf is recorded beside it and must agree to 1e-14, which makes the table a torch
    reference too."""
    mpmath.mp.prec = 200
    xs = [i / 200.0 for i in range(-1600, 1601)]                       # -8 .. 8, step 0.005
    xs += [10.0 ** (k / 4.0) for k in range(-1200, 5)]                # 1e-300 .. 1
    xs += [-(10.0 ** (k / 7.0)) for k in range(-140, 3)]              # -1e-20 .. -1.9
    for edge in [2.5, 6.0]:
        for x in [edge, math.nextafter(edge, 0.0), math.nextafter(edge, math.inf)]:
            xs += [x, -x]
    xs += [0.0, -0.0, 26.5, -100.0, 1e300]
    rows = []
    worst = 0.0
    for x in xs:
        exact = float(mpmath.erf(mpmath.mpf(x)))
        via_torch = torch.erf(torch.tensor(x, dtype=F64)).item()
        if exact != 0.0:
            worst = max(worst, abs(via_torch - exact) / abs(exact))
        rows.append([x, exact, via_torch])
    assert worst <= 1e-14, f"torch erf disagrees with mpmath by {worst}"
    with open(os.path.join(HERE, "erf_reference.json"), "w") as f:
        f.write('{\n  "description": "[x, erf(x) by mpmath at 200 bits rounded to double, torch.erf(x) in float64]; '
                f'max relative difference {worst:.3g}",\n  "rows": [\n')
        f.write(",\n".join("    " + json.dumps(row) for row in rows))
        f.write("\n  ]\n}\n")


def main():
    torch.set_default_dtype(F64)
    unary_cases()
    binary_cases()
    compare_select_cast_cases()
    reduce_cases()
    contract_cases()
    movement_cases()
    window_cases()
    indexing_cases()
    leaf_cases()
    composition_cases()
    os.makedirs(OUT_DIR, exist_ok=True)
    for old in os.listdir(OUT_DIR):
        if old.endswith(".json"):
            os.remove(os.path.join(OUT_DIR, old))
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    for c in CASES:
        c.write()
    write_erf_reference()
    print(f"wrote {len(CASES)} cases to {OUT_DIR} and erf_reference.json")


if __name__ == "__main__":
    main()
