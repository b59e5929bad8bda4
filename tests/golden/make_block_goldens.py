#!/usr/bin/python3
"""Golden values for whole ModelC programs: every standard-library block and every built-in layer
against an independent PyTorch float64 reference.

Writes one JSON file per case under tests/golden/blocks/. Run with Debian's python (torch 1.13, CPU):

    /usr/bin/python3 tests/golden/make_block_goldens.py

Each case is a complete ModelC program (a `model` that applies the block or layer under test).
The reference is written here, independently of ModelC's lowering: torch.nn modules where they
exist (nn.Linear, nn.Conv2d with padding_mode, nn.ConvTranspose2d, nn.LayerNorm, nn.BatchNorm1d/2d,
nn.MultiheadAttention, nn.TransformerEncoderLayer, nn.Unfold, pools, F.gelu, F.glu, ...), and
small torch modules for what has none (einspace's routing modules, the MgNO V-cycle following the
reference MgNO_DC structure, FastKAN's radial basis, RMSNorm). Each torch parameter is assigned
from the deterministic generator below under the ModelC parameter name it corresponds to; the
names are derived here from the scope rules of docs/language.md, so a naming drift in the
compiler fails the C# test, which checks the graph's parameter and state names and shapes against
the recorded lists.

Torch modules start with every parameter and buffer set to NaN, so a parameter this script
forgets to assign makes the outputs NaN, which write() rejects.

The generator (implemented identically in tests/ModelC.Compiler.Tests/Blocks/GoldenValues.cs):
    seed    = FNV-1a 64 of the UTF-8 name: parameters and states by their ModelC name, inputs
              as "input:" + name
    stream  = SplitMix64(seed): state += 0x9E3779B97F4A7C15, then the usual mix
    uniform = low + (high - low) * ((next >> 11) * 2^-53), in generation (row-major) order
    ints    = low + (next >> 33) % (high - low)
    ranges  = by the last segment of a parameter or state name:
              weight of rank >= 2  U(-b, b), b = 1/sqrt(prod(shape[1:]))   (linear, conv, pos_enc,
                                   embedding tables)
              weight of rank 1     U(0.9, 1.1)                              (norm scales)
              bias, running_mean   U(-0.1, 0.1)
              running_var          U(0.5, 1.5)
              inputs: the case's [low, high) (recorded in the file)
No transcendental functions: both languages produce bit-identical values, so even ResNet-18's
11M parameters need no stored weights.

Case file format:
    name, description, model, mode (inference | training), batch (the size bound to the
    model's batch parameter), program (the .mdl source)
    inputs:        [{name, dtype: f32|i32, shape, low, high}]   (shapes include the batch)
    parameters:    [{name, shape}]   every trainable parameter the reference assigned, sorted
    states:        [{name, shape}]   every state (BatchNorm running statistics), sorted
    outputs:       [{name, shape, data}]
    loss:          the scalar loss (training mode), else null
    state_updates: [{name, shape, data}]   the next running statistics (training mode)
    gradients:     [{name, shape, data}]   (only in cases that record them) d loss / d leaf by torch
                                           autograd, for the inputs and parameters named
Floats are written with repr (round-trip exact).
"""

import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "blocks")

F64 = torch.float64
torch.set_default_dtype(F64)

# The generator ------------------------------------------------------------------------------

MASK64 = (1 << 64) - 1
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
GAMMA = 0x9E3779B97F4A7C15
MIX1 = 0xBF58476D1CE4E5B9
MIX2 = 0x94D049BB133111EB


def fnv1a(text):
    h = FNV_OFFSET
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * FNV_PRIME) & MASK64
    return h


def splitmix(seed, count):
    """The first `count` outputs of SplitMix64 started at `seed`, as uint64 (vectorised: output i mixes seed + (i+1)·γ)."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + np.uint64(GAMMA) * np.arange(1, count + 1, dtype=np.uint64)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(MIX1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(MIX2)
        return z ^ (z >> np.uint64(31))


def uniform(name, count, low, high):
    unit = (splitmix(fnv1a(name), count) >> np.uint64(11)).astype(np.float64) * (2.0 ** -53)
    return low + (high - low) * unit


def integers(name, count, low, high):
    draws = splitmix(fnv1a(name), count) >> np.uint64(33)
    return low + (draws % np.uint64(high - low)).astype(np.int64)


def parameter_range(name, shape):
    kind = name.rsplit(".", 1)[-1]
    if kind == "weight" and len(shape) >= 2:
        bound = 1.0 / math.sqrt(math.prod(shape[1:]))
        return -bound, bound
    if kind == "weight":
        return 0.9, 1.1
    if kind in ("bias", "running_mean"):
        return -0.1, 0.1
    if kind == "running_var":
        return 0.5, 1.5
    raise ValueError(f"no generator range for parameter '{name}'")


def parameter_value(name, shape):
    low, high = parameter_range(name, shape)
    return torch.from_numpy(uniform(name, math.prod(shape), low, high)).reshape(shape)


# Self-check of the generator against constants the C# test pins too.
assert fnv1a("") == 0xCBF29CE484222325 and fnv1a("a") == 0xAF63DC4C8601EC8C
assert int(splitmix(0, 1)[0]) == 0xE220A8397B1DCDAF


# Cases ---------------------------------------------------------------------------------------

def number(value):
    value = float(value)
    assert math.isfinite(value), value
    return value


def tensor_record(name, t):
    t = t.detach()
    assert t.dtype == F64, (name, t.dtype)
    assert torch.isfinite(t).all(), f"{name} is not finite (an unassigned parameter?)"
    return {"name": name, "shape": list(t.shape), "data": [number(v) for v in t.reshape(-1).tolist()]}


class Case:
    """One program, its inputs, the parameters assigned to the reference and its expected results."""

    def __init__(self, name, description, program, mode, batch):
        assert mode in ("inference", "training")
        self.name = name
        self.description = description
        self.program = program.strip() + "\n"
        self.mode = mode
        self.batch = batch
        self.inputs = []
        self.parameters = {}
        self.states = {}
        self.outputs = []
        self.loss = None
        self.state_updates = []
        self.gradients = []
        self.modules = []
        self.batch_norms = []

    @property
    def training(self):
        return self.mode == "training"

    # Values from the generator -------------------------------------------------------------
    def input(self, name, shape, low=-1.0, high=1.0, dtype="f32"):
        count = math.prod(shape)
        if dtype == "f32":
            value = torch.from_numpy(uniform("input:" + name, count, low, high)).reshape(shape)
        else:
            value = torch.from_numpy(integers("input:" + name, count, low, high)).reshape(shape)
        self.inputs.append({"name": name, "dtype": dtype, "shape": list(shape), "low": low, "high": high})
        return value

    def param(self, name, shape):
        shape = tuple(shape)
        assert name not in self.parameters, f"{name} assigned twice"
        self.parameters[name] = shape
        return parameter_value(name, shape)

    def state(self, name, shape):
        shape = tuple(shape)
        assert name not in self.states, f"{name} assigned twice"
        self.states[name] = shape
        return parameter_value(name, shape)

    # Torch modules --------------------------------------------------------------------------
    def module(self, m):
        """Registers a fresh torch module with every parameter and floating buffer set to NaN."""
        m = m.to(F64)
        with torch.no_grad():
            for p in m.parameters():
                p.fill_(math.nan)
            for b in m.buffers():
                if b.is_floating_point():
                    b.fill_(math.nan)
        self.modules.append(m)
        return m

    def set(self, target, name):
        """Assigns a torch parameter from the generator under a ModelC parameter name (its shape must be ModelC's)."""
        copy(target, self.param(name, target.shape))

    def batch_norm(self, name, channels, rank, eps=1e-5, momentum=0.1, affine=True):
        kind = nn.BatchNorm2d if rank == 4 else nn.BatchNorm1d
        m = self.module(kind(channels, eps=eps, momentum=momentum, affine=affine))
        if affine:
            self.set(m.weight, name + ".weight")
            self.set(m.bias, name + ".bias")
        copy(m.running_mean, self.state(name + ".running_mean", (channels,)))
        copy(m.running_var, self.state(name + ".running_var", (channels,)))
        m.train(self.training)
        self.batch_norms.append((name, m))
        return m

    # Results ---------------------------------------------------------------------------------
    def output(self, name, t):
        self.outputs.append(tensor_record(name, t))

    def set_loss(self, t):
        assert self.training and t.dim() == 0
        self.loss = number(t)

    def record_gradients(self, loss, leaves):
        """Records d loss / d leaf for each (ModelC input or parameter name, torch tensor) pair."""
        names = sorted(leaves)
        grads = torch.autograd.grad(loss, [leaves[n] for n in names])
        self.gradients = [tensor_record(n, g) for n, g in zip(names, grads)]

    def write(self):
        assert self.outputs, self.name
        assert (self.loss is not None) == self.training, f"{self.name}: training cases have a loss, inference cases none"
        for m in self.modules:
            for key, value in list(m.named_parameters()) + list(m.named_buffers()):
                assert not (value.is_floating_point() and torch.isnan(value).any()), f"{self.name}: {key} of {type(m).__name__} unassigned"
        if self.training:
            for name, m in self.batch_norms:
                self.state_updates.append(tensor_record(name + ".running_mean", m.running_mean))
                self.state_updates.append(tensor_record(name + ".running_var", m.running_var))
        record = {
            "name": self.name,
            "description": self.description,
            "model": "M",
            "mode": self.mode,
            "batch": self.batch,
            "program": self.program,
            "inputs": self.inputs,
            "parameters": [{"name": n, "shape": list(s)} for n, s in sorted(self.parameters.items())],
            "states": [{"name": n, "shape": list(s)} for n, s in sorted(self.states.items())],
            "outputs": self.outputs,
            "loss": self.loss,
            "state_updates": sorted(self.state_updates, key=lambda r: r["name"]),
        }
        if self.gradients:
            record["gradients"] = self.gradients
        lines = ["{"]
        keys = list(record)
        for i, key in enumerate(keys):
            value = record[key]
            end = "," if i + 1 < len(keys) else ""
            if isinstance(value, list) and value:
                lines.append(f"  {json.dumps(key)}: [")
                for j, item in enumerate(value):
                    lines.append("    " + json.dumps(item) + ("," if j + 1 < len(value) else ""))
                lines.append("  ]" + end)
            else:
                lines.append(f"  {json.dumps(key)}: {json.dumps(value)}{end}")
        lines.append("}")
        with open(os.path.join(OUT_DIR, self.name + ".json"), "w") as f:
            f.write("\n".join(lines) + "\n")


def copy(target, value):
    with torch.no_grad():
        assert tuple(target.shape) == tuple(value.shape), (tuple(target.shape), tuple(value.shape))
        target.copy_(value)


CASES = []


def case(name, description, mode="inference", batch=2):
    """Decorator: registers a function that fills a Case; the function's docstring is the program."""
    def register(fill):
        CASES.append((name, description, mode, batch, fill))
        return fill
    return register


def case_in_both_modes(name, program, reference, inference, training):
    """Registers one program twice: as <name>_inference and <name>_training (loss and state updates)."""
    for mode, description in (("inference", inference), ("training", training)):
        def fill(c):
            reference(c)
        fill.__doc__ = program
        case(f"{name}_{mode}", description, mode=mode)(fill)


# Reference building blocks ---------------------------------------------------------------------
# Each takes the case and the ModelC scope path of the layer or block, creates torch modules,
# assigns their parameters under ModelC's names and returns a function of the input(s).

def linear(c, name, fin, fout, bias=True):
    m = c.module(nn.Linear(fin, fout, bias=bias))
    c.set(m.weight, name + ".weight")
    if bias:
        c.set(m.bias, name + ".bias")
    return m


def layer_norm(c, name, d, eps=1e-5, affine=True):
    m = c.module(nn.LayerNorm(d, eps=eps, elementwise_affine=affine))
    if affine:
        c.set(m.weight, name + ".weight")
        c.set(m.bias, name + ".bias")
    return m


def per_axis(size, dims):
    return (size,) * dims if isinstance(size, int) else tuple(size)


def conv(c, name, cin, cout, k, stride=1, padding=None, dilation=1, groups=1, bias=True, mode="zeros", dims=2):
    """nn.Conv1d (dims = 1) or nn.Conv2d; sizes are ints or per-axis tuples, padding defaults to ModelC's dilation·(k−1)/2."""
    if padding is None:
        padding = tuple(d * (size - 1) // 2 for size, d in zip(per_axis(k, dims), per_axis(dilation, dims)))
    kind = nn.Conv1d if dims == 1 else nn.Conv2d
    m = c.module(kind(cin, cout, k, stride=stride, padding=padding, dilation=dilation, groups=groups,
                      bias=bias, padding_mode=mode))
    c.set(m.weight, name + ".weight")
    if bias:
        c.set(m.bias, name + ".bias")
    return m


def conv_transpose(c, name, cin, cout, k, stride=1, padding=0, output_padding=0, dilation=1, bias=True):
    m = c.module(nn.ConvTranspose2d(cin, cout, k, stride=stride, padding=padding, output_padding=output_padding,
                                    dilation=dilation, bias=bias))
    c.set(m.weight, name + ".weight")
    if bias:
        c.set(m.bias, name + ".bias")
    return m


def multihead(c, name, d, heads):
    """nn.MultiheadAttention loaded from ModelC's separate projections q, k, v and out."""
    m = c.module(nn.MultiheadAttention(d, heads, dropout=0.0, bias=True, batch_first=True))
    load_attention(c, m, name)
    return lambda x: m(x, x, x, need_weights=False)[0]


def load_attention(c, m, name):
    d = m.embed_dim
    copy(m.in_proj_weight, torch.cat([c.param(f"{name}.{p}.weight", (d, d)) for p in "qkv"]))
    copy(m.in_proj_bias, torch.cat([c.param(f"{name}.{p}.bias", (d,)) for p in "qkv"]))
    c.set(m.out_proj.weight, name + ".out.weight")
    c.set(m.out_proj.bias, name + ".out.bias")


ACTIVATIONS = {"relu": F.relu, "gelu": F.gelu, "silu": F.silu, "tanh": torch.tanh}


def ffn(c, name, din, d, ff, act="relu"):
    first = linear(c, name + ".linear_0", din, ff)
    second = linear(c, name + ".linear_1", ff, d)
    return lambda x: second(ACTIVATIONS[act](first(x)))


# einspace's modules (linusericsson/einspace, einspace/layers.py), written with torch ops.

def im2col(x, k, stride, padding):
    """einspace's Im2Col: nn.Unfold, then (B, C·k², L) -> (B, L, C·k²)."""
    return nn.Unfold(kernel_size=k, stride=stride, padding=padding)(x).permute(0, 2, 1)


def col2im(x, height, width):
    """einspace's Col2Im: x.permute(0, 2, 1).reshape(B, -1, H, W)."""
    return x.permute(0, 2, 1).reshape(x.shape[0], -1, height, width)


def einconv(c, name, cin, out, k=3, s=1, p=1):
    lin = linear(c, name + ".linear_0", cin * k * k, out)

    def forward(x):
        h = (x.shape[2] + 2 * p - k) // s + 1
        w = (x.shape[3] + 2 * p - k) // s + 1
        return col2im(lin(im2col(x, k, s, p)), h, w)
    return forward


def einnorm(c, name, shape):
    """einspace's EinNorm: LayerNorm on the last dimension for rank 2 and 3, BatchNorm2d for rank 4."""
    if len(shape) in (2, 3):
        return layer_norm(c, name, shape[-1])
    return c.batch_norm(name, shape[1], 4)


def leaky(x):
    return nn.LeakyReLU()(x)     # einspace's leakyrelu: nn.LeakyReLU() (slope 0.01)


def sdpa(c, name, din, d):
    """einspace's sdpa seed: softmax(Q Kᵀ / √(Q.size(-1))) V (DotProduct(scaled) then DotProduct)."""
    q = linear(c, name + ".linear_0", din, d)
    k = linear(c, name + ".linear_1", din, d)
    v = linear(c, name + ".linear_2", din, d)

    def forward(x):
        a, b = q(x), k(x).permute(0, 2, 1)
        scores = a @ b * (1.0 / math.sqrt(a.size(-1)))
        return torch.softmax(scores, dim=-1) @ v(x)
    return forward


def einmhsa(c, name, din, heads, d, dk):
    parts = [sdpa(c, f"{name}.sdpa_{i}", din, dk) for i in range(heads)]
    out = linear(c, name + ".linear_0", heads * dk, d)
    return lambda x: out(torch.cat([p(x) for p in parts], dim=-1))


def resnet_block(c, name, shape, a, b):
    """einresidual(einconv(a) >> norm >> leaky_relu >> einconv(b) >> norm) >> leaky_relu."""
    _, channels, height, width = shape
    body = name + ".einresidual_0"
    conv1 = einconv(c, body + ".einconv_0", channels, a)
    norm1 = einnorm(c, body + ".norm_0", (1, a, height, width))
    conv2 = einconv(c, body + ".einconv_1", a, b)
    norm2 = einnorm(c, body + ".norm_1", (1, b, height, width))
    return lambda x: leaky(norm2(conv2(leaky(norm1(conv1(x))))) + x)


def resnet_block_down(c, name, shape, a, b):
    _, channels, height, width = shape
    h, w = (height - 1) // 2 + 1, (width - 1) // 2 + 1
    conv1 = einconv(c, name + ".einconv_0", channels, a, 3, 2, 1)
    norm1 = einnorm(c, name + ".norm_0", (1, a, h, w))
    conv2 = einconv(c, name + ".einconv_1", a, b)
    norm2 = einnorm(c, name + ".norm_1", (1, b, h, w))
    short = einconv(c, name + ".einconv_2", channels, b, 1, 2, 0)
    norm3 = einnorm(c, name + ".norm_2", (1, b, h, w))
    return lambda x: leaky(norm2(conv2(leaky(norm1(conv1(x))))) + norm3(short(x)))


# The MgNO V-cycle, following the reference MgNO_DC (He, Liu, Xu, ICLR 2024): MgIte_init
# (u = S f), MgIte (u = u + S(f − A u)), Restrict (f = R f, u = Pi u), the transposed
# prolongations RT, and MgNO_DC's layers act(W u + Conv1x1(u)) and 1x1 head without bias.

class MgIteInit(nn.Module):
    def __init__(self, S):
        super().__init__()
        self.S = S

    def forward(self, f):
        return self.S(f), f


class MgIte(nn.Module):
    def __init__(self, A, S):
        super().__init__()
        self.A, self.S = A, S

    def forward(self, out):
        u, f = out
        return u + self.S(f - self.A(u)), f


class Restrict(nn.Module):
    def __init__(self, Pi, R):
        super().__init__()
        self.Pi, self.R = Pi, R

    def forward(self, out):
        u, f = out
        return self.Pi(u), self.R(f)


class MgConvDC(nn.Module):
    """The V-cycle W f: smoothing on the way down only, u_l += RT_l(u_{l+1}) on the way up."""

    def __init__(self, c, name, nu, cu, cf, bc, cycle=None):
        super().__init__()
        conv3 = lambda scope, cin, cout, stride=1: conv(c, scope + ".conv_0", cin, cout, 3, stride, 1, bias=False, mode=bc)
        steps_scope = lambda scope, i: scope + ".smooth_steps_0" * (i + 1) + ".smooth_0"
        # ModelC's scopes: vcycle's first smoother is `u`; the cycle of level l is cycle_0,
        # then .coarse per level; it holds the restrictions fc/uc and level l+1's steps.
        cycles = [cycle or name + ".cycle_0"]
        for _ in range(len(nu) - 2):
            cycles.append(cycles[-1] + ".coarse")
        levels = []
        for level, count in enumerate(nu):
            layers = []
            if level > 0:
                scope = cycles[level - 1]
                layers.append(Restrict(Pi=conv3(scope + ".uc", cu, cu, 2), R=conv3(scope + ".fc", cf, cf, 2)))
            steps_base = name if level == 0 else cycles[level - 1]
            for i in range(count):
                if level == 0 and i == 0:
                    layers.append(MgIteInit(conv3(name + ".u", cf, cu)))
                else:
                    step = steps_scope(steps_base, i - 1 if level == 0 else i)
                    layers.append(MgIte(A=conv3(step + ".smoother_0", cu, cf), S=conv3(step + ".smoother_1", cf, cu)))
            levels.append(nn.Sequential(*layers))
        self.levels = nn.ModuleList(levels)
        self.RT = nn.ModuleList([conv_transpose(c, cycles[j] + ".prolongation_0.conv_transpose_0", cu, cu, 4, 2, 1, bias=False)
                                 for j in range(len(nu) - 1)])

    def forward(self, f):
        out, us = f, []
        for level in self.levels:
            out = level(out)
            us.append(out[0])
        for j in range(len(us) - 2, -1, -1):
            us[j] = us[j] + self.RT[j](us[j + 1])
        return us[0]


def mgno_layer(c, name, cin, cu, nu, bc, act=F.gelu):
    W = MgConvDC(c, name + ".vcycle_0", nu, cu, cin, bc)
    skip = conv(c, name + ".conv_0", cin, cu, 1, padding=0)
    return lambda u: act(W(u) + skip(u))


def mgno(c, name, cin, cu, layers, nu, out, bc):
    parts = [mgno_layer(c, f"{name}.mgno_layer_{i}", cin if i == 0 else cu, cu, nu, bc) for i in range(layers)]
    head = conv(c, name + ".conv_0", cu, out, 1, padding=0, bias=False)

    def forward(u):
        for part in parts:
            u = part(u)
        return head(u)
    return forward


# std.nn ---------------------------------------------------------------------------------------

@case("nn_mlp", "std.nn mlp: linear layers with the activation between them (recursive scopes mlp_0.mlp_0...)")
def nn_mlp(c):
    """
import std.nn;

model M(B: batch) {
    input x: f32[B, 6];
    output y = mlp([12, 8, 4])(x);
    output z = mlp([5, 3], gelu)(x);
}
"""
    x = c.input("x", [2, 6])
    y1, y2, y3 = linear(c, "y.linear_0", 6, 12), linear(c, "y.mlp_0.linear_0", 12, 8), linear(c, "y.mlp_0.mlp_0.linear_0", 8, 4)
    c.output("y", y3(F.relu(y2(F.relu(y1(x))))))
    z1, z2 = linear(c, "z.linear_0", 6, 5), linear(c, "z.mlp_0.linear_0", 5, 3)
    c.output("z", z2(F.gelu(z1(x))))


@case("nn_siren", "std.nn siren: sine layers sin(w0(Wx + b)) then a linear one, with the loss's gradients",
      mode="training")
def nn_siren(c):
    """
import std.nn;

model M(B: batch) {
    input x: f32[B, 2];
    input t: f32[B, 1];
    output y = siren([16, 16, 1])(x);
    output z = siren([8, 3], 5.0)(x);
    loss mse(y, t);
}
"""
    x = c.input("x", [2, 2]).requires_grad_()
    t = c.input("t", [2, 1])

    def siren(prefix, widths, w0, fin):
        layers = []
        for i, w in enumerate(widths):
            layers.append(linear(c, prefix + "siren_0." * i + "linear_0", fin, w))
            fin = w
        def forward(h):
            for layer in layers[:-1]:
                h = torch.sin(w0 * layer(h))
            return layers[-1](h)
        return forward, layers

    y, y_layers = siren("y.", [16, 16, 1], 30.0, 2)
    z, _ = siren("z.", [8, 3], 5.0, 2)
    c.output("y", y(x))
    c.output("z", z(x))
    loss = F.mse_loss(y(x), t)
    c.set_loss(loss)
    c.record_gradients(loss, {"x": x, **{f"y.{'siren_0.' * i}linear_0.weight": l.weight for i, l in enumerate(y_layers)}})


@case("nn_residual", "std.nn residual: x + body(x) (w = 1) and x + w·body(x) (w = 0.5)")
def nn_residual(c):
    """
import std.nn;

model M(B: batch) {
    input x: f32[B, 8];
    output y = residual(linear(8) >> relu)(x);
    output z = residual(linear(8) >> tanh, 0.5)(x);
}
"""
    x = c.input("x", [2, 8])
    ly, lz = linear(c, "y.linear_0", 8, 8), linear(c, "z.linear_0", 8, 8)
    c.output("y", x + F.relu(ly(x)))
    c.output("z", x + 0.5 * torch.tanh(lz(x)))


@case("nn_ffn", "std.nn ffn: linear(ff) >> act >> linear(d) with relu and gelu")
def nn_ffn(c):
    """
import std.nn;

model M(B: batch) {
    input s: f32[B, 5, 8];
    output y = ffn(8, 16)(s);
    output z = ffn(6, 12, gelu)(s);
}
"""
    s = c.input("s", [2, 5, 8])
    c.output("y", ffn(c, "y", 8, 8, 16)(s))
    c.output("z", ffn(c, "z", 8, 6, 12, "gelu")(s))


@case("nn_glu_ffn", "std.nn glu_ffn with each gate: glu, reglu, geglu, swiglu (default), and without biases")
def nn_glu_ffn(c):
    """
import std.nn;

model M(B: batch) {
    input s: f32[B, 5, 8];
    output a = glu_ffn(8, 6, glu)(s);
    output b = glu_ffn(8, 6, reglu)(s);
    output g = glu_ffn(8, 6, geglu)(s);
    output d = glu_ffn(7, 6)(s);
    output e = glu_ffn(8, 6, bias = false)(s);
}
"""
    s = c.input("s", [2, 5, 8])
    gates = {
        "a": lambda h: F.glu(h, dim=-1),
        "b": lambda h: h.chunk(2, -1)[0] * F.relu(h.chunk(2, -1)[1]),
        "g": lambda h: h.chunk(2, -1)[0] * F.gelu(h.chunk(2, -1)[1]),
        "d": lambda h: h.chunk(2, -1)[0] * F.silu(h.chunk(2, -1)[1]),
        "e": lambda h: h.chunk(2, -1)[0] * F.silu(h.chunk(2, -1)[1]),
    }
    for out, gate in gates.items():
        d = 7 if out == "d" else 8
        bias = out != "e"
        first, second = linear(c, out + ".linear_0", 8, 12, bias), linear(c, out + ".linear_1", 6, d, bias)
        c.output(out, second(gate(first(s))))


CONV_BN_RELU = """
import std.nn;

model M(B: batch) {
    input x: f32[B, 3, 8, 8];
    input t: f32[B, 4, 4, 4];
    output y = conv_bn_relu(4, 3, 2)(x);
    output z = conv_bn_relu(3)(x);
    loss mse(y, t);
}
"""


def conv_bn_relu_reference(c):
    x = c.input("x", [2, 3, 8, 8])
    results = {}
    for out, (cout, stride) in {"y": (4, 2), "z": (3, 1)}.items():
        cv = conv(c, out + ".conv_0", 3, cout, 3, stride, 1, bias=False)
        bn = c.batch_norm(out + ".batch_norm_0", cout, 4)
        results[out] = F.relu(bn(cv(x)))
        c.output(out, results[out])
    if c.training:
        c.set_loss(F.mse_loss(results["y"], c.input("t", [2, 4, 4, 4])))


case_in_both_modes("nn_conv_bn_relu", CONV_BN_RELU, conv_bn_relu_reference,
                   "std.nn conv_bn_relu, BatchNorm with running statistics",
                   "std.nn conv_bn_relu, BatchNorm with batch statistics; loss and running-statistics updates")


@case("nn_attention", "std.nn attention: single-head softmax(Q Kᵀ / √d) V")
def nn_attention(c):
    """
import std.nn;

model M(B: batch) {
    input s: f32[B, 5, 8];
    output y = attention(6)(s);
}
"""
    s = c.input("s", [2, 5, 8])
    q, k, v = (linear(c, f"y.linear_{i}", 8, 6) for i in range(3))
    scores = q(s) @ k(s).transpose(1, 2) / math.sqrt(6)
    c.output("y", torch.softmax(scores, dim=-1) @ v(s))


@case("nn_mhsa", "std.nn mhsa against nn.MultiheadAttention (in_proj = cat(q, k, v), out_proj = out); and d != D by hand")
def nn_mhsa(c):
    """
import std.nn;

model M(B: batch) {
    input s: f32[B, 5, 8];
    output y = mhsa(s, 2);
    output z = mhsa(s, 4);
    output w = mhsa(s, 3, 6);
}
"""
    s = c.input("s", [2, 5, 8])
    c.output("y", multihead(c, "y", 8, 2)(s))
    c.output("z", multihead(c, "z", 8, 4)(s))
    # d = 6 != 8 features: nn.MultiheadAttention needs embed_dim = query width, so by hand.
    q, k, v = (linear(c, f"w.{p}", 8, 6) for p in "qkv")
    out = linear(c, "w.out", 6, 6)
    split = lambda t: t.reshape(2, 5, 3, 2).transpose(1, 2)
    attn = torch.softmax(split(q(s)) @ split(k(s)).transpose(-2, -1) / math.sqrt(2), dim=-1) @ split(v(s))
    c.output("w", out(attn.transpose(1, 2).reshape(2, 5, 6)))


def encoder_layer(c, name, d, heads, ff, act):
    """nn.TransformerEncoderLayer with norm_first (pre-norm), no dropout, ModelC's names."""
    m = c.module(nn.TransformerEncoderLayer(d, heads, ff, dropout=0.0, activation=act, batch_first=True, norm_first=True))
    load_attention(c, m.self_attn, name + ".residual_0.mhsa_0")
    for norm, scope in ((m.norm1, ".residual_0.layer_norm_0"), (m.norm2, ".residual_1.layer_norm_0")):
        c.set(norm.weight, name + scope + ".weight")
        c.set(norm.bias, name + scope + ".bias")
    for lin, scope in ((m.linear1, ".residual_1.ffn_0.linear_0"), (m.linear2, ".residual_1.ffn_0.linear_1")):
        c.set(lin.weight, name + scope + ".weight")
        c.set(lin.bias, name + scope + ".bias")
    return m


@case("nn_transformer", "std.nn transformer against nn.TransformerEncoderLayer(norm_first = True), relu and gelu")
def nn_transformer(c):
    """
import std.nn;

model M(B: batch) {
    input s: f32[B, 5, 8];
    output y = transformer(8, 2, 16)(s);
    output z = transformer(8, 4, 12, gelu)(s);
}
"""
    s = c.input("s", [2, 5, 8])
    c.output("y", encoder_layer(c, "y", 8, 2, 16, "relu")(s))
    c.output("z", encoder_layer(c, "z", 8, 4, 12, "gelu")(s))


def macaron(c, name, d, heads, ff, act):
    ln = [layer_norm(c, f"{name}.residual_{i}.layer_norm_0", d) for i in range(3)]
    ffn1 = ffn(c, name + ".residual_0.ffn_0", d, d, ff, act)
    attn = multihead(c, name + ".residual_1.mhsa_0", d, heads)
    ffn2 = ffn(c, name + ".residual_2.ffn_0", d, d, ff, act)

    def forward(x):
        x = x + 0.5 * ffn1(ln[0](x))
        x = x + attn(ln[1](x))
        return x + 0.5 * ffn2(ln[2](x))
    return forward


@case("nn_macaron", "std.nn macaron: x + ½FFN(LN x), x + MHSA(LN x), x + ½FFN(LN x)")
def nn_macaron(c):
    """
import std.nn;

model M(B: batch) {
    input s: f32[B, 5, 8];
    output y = macaron(8, 2, 8)(s);
    output z = macaron(8, 4, 6, gelu)(s);
}
"""
    s = c.input("s", [2, 5, 8])
    c.output("y", macaron(c, "y", 8, 2, 8, "relu")(s))
    c.output("z", macaron(c, "z", 8, 4, 6, "gelu")(s))


@case("nn_macaron_stack", "std.nn macaron_stack: two macaron layers and a final LayerNorm")
def nn_macaron_stack(c):
    """
import std.nn;

model M(B: batch) {
    input s: f32[B, 5, 8];
    output y = macaron_stack(2, 8, 2, 8)(s);
}
"""
    s = c.input("s", [2, 5, 8])
    layers = [macaron(c, f"y.macaron_{i}", 8, 2, 8, "relu") for i in range(2)]
    final = layer_norm(c, "y.layer_norm_0", 8)
    c.output("y", final(layers[1](layers[0](s))))


def fastkan(c, name, din, out, centers, low, high):
    """FastKAN (Li 2024) without its input LayerNorm: Gaussian RBFs on linspace(low, high), denominator (high − low)/(n − 1)."""
    grid = torch.linspace(low, high, centers)
    denominator = (high - low) / (centers - 1)
    spline = linear(c, name + ".linear_0", din * centers, out, bias=False)
    base = linear(c, name + ".linear_1", din, out)

    def forward(x):
        basis = torch.exp(-(((x[..., None] - grid) / denominator) ** 2))
        return spline(basis.reshape(*basis.shape[:-2], -1)) + base(F.silu(x))
    return forward


@case("nn_kan", "std.nn kan: FastKAN radial bases plus a SiLU base path")
def nn_kan(c):
    """
import std.nn;

model M(B: batch) {
    input v: f32[B, 4];
    output y = kan(3)(v);
    output z = kan(2, 5, -1.0, 1.0)(v);
}
"""
    v = c.input("v", [2, 4], -2.5, 2.5)
    c.output("y", fastkan(c, "y", 4, 3, 8, -2.0, 2.0)(v))
    c.output("z", fastkan(c, "z", 4, 2, 5, -1.0, 1.0)(v))


@case("nn_hopfield", "std.nn hopfield: softmax(β Q Kᵀ) V")
def nn_hopfield(c):
    """
import std.nn;

model M(B: batch) {
    input s: f32[B, 5, 8];
    output y = hopfield(s, 6, 2.0);
    output z = hopfield(s, 8);
}
"""
    s = c.input("s", [2, 5, 8])
    for out, d, beta in (("y", 6, 2.0), ("z", 8, 1.0)):
        q, k, v = (linear(c, f"{out}.{p}", 8, d) for p in "qkv")
        c.output(out, torch.softmax(beta * (q(s) @ k(s).transpose(1, 2)), dim=-1) @ v(s))


# std.mgno -------------------------------------------------------------------------------------

MGNO_INPUTS = """
    input f: f32[B, 2, 8, 8];
    input u: f32[B, 4, 8, 8];"""


# torchaudio.models.conformer's layer, re-implemented in plain torch (torchaudio is not installed):
# the same modules in the same order, with the attention's q, k, v and out projections as four
# nn.Linear (nn.MultiheadAttention's packed in_proj, split) so each has its own gradient.

class ConformerFeedForward(nn.Module):
    """torchaudio's _FeedForwardModule: LayerNorm, Linear(d, ff), SiLU, Linear(ff, d)."""

    def __init__(self, d, ff):
        super().__init__()
        self.norm, self.first, self.second = nn.LayerNorm(d), nn.Linear(d, ff), nn.Linear(ff, d)

    def forward(self, x):
        return self.second(F.silu(self.first(self.norm(x))))


class ConformerSelfAttention(nn.Module):
    """nn.MultiheadAttention (no dropout, no mask) with separate projections."""

    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.out = (nn.Linear(d, d) for _ in range(4))

    def forward(self, x):
        b, s, d = x.shape
        split = lambda t: t.reshape(b, s, self.heads, d // self.heads).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        weights = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // self.heads), dim=-1)
        return self.out((weights @ v).transpose(1, 2).reshape(b, s, d))


class ConformerConvolution(nn.Module):
    """torchaudio's _ConvolutionModule with bias = True, on (B, S, d); BatchNorm1d or LayerNorm over channels."""

    def __init__(self, d, k, batch_norm):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.pointwise_in = nn.Conv1d(d, 2 * d, 1)
        self.depthwise = nn.Conv1d(d, d, k, padding=(k - 1) // 2, groups=d)
        self.conv_norm = nn.BatchNorm1d(d) if batch_norm else nn.LayerNorm(d)
        self.pointwise_out = nn.Conv1d(d, d, 1)
        self.batch_norm = batch_norm

    def forward(self, x):
        h = self.depthwise(F.glu(self.pointwise_in(self.norm(x).transpose(1, 2)), dim=1))
        h = self.conv_norm(h) if self.batch_norm else self.conv_norm(h.transpose(1, 2)).transpose(1, 2)
        return self.pointwise_out(F.silu(h)).transpose(1, 2)


class ConformerLayer(nn.Module):
    """torchaudio's ConformerLayer (convolution after attention): half-step FFN, MHSA, convolution, half-step FFN, LayerNorm."""

    def __init__(self, d, heads, ff, k, batch_norm=True):
        super().__init__()
        self.ffn1 = ConformerFeedForward(d, ff)
        self.attention_norm = nn.LayerNorm(d)
        self.attention = ConformerSelfAttention(d, heads)
        self.convolution = ConformerConvolution(d, k, batch_norm)
        self.ffn2 = ConformerFeedForward(d, ff)
        self.final_norm = nn.LayerNorm(d)

    def forward(self, x):
        x = 0.5 * self.ffn1(x) + x
        x = self.attention(self.attention_norm(x)) + x
        x = self.convolution(x) + x
        x = 0.5 * self.ffn2(x) + x
        return self.final_norm(x)


def conformer(c, name, d, heads, ff, k, batch_norm=True):
    """A ConformerLayer loaded under std.nn conformer's parameter names; returns it and {name: parameter}."""
    m = c.module(ConformerLayer(d, heads, ff, k, batch_norm))
    conv = f"{name}.residual_2.conformer_conv_0"
    modules = {f"{name}.residual_0.layer_norm_0": m.ffn1.norm, f"{name}.residual_0.ffn_0.linear_0": m.ffn1.first,
               f"{name}.residual_0.ffn_0.linear_1": m.ffn1.second, f"{name}.residual_1.layer_norm_0": m.attention_norm,
               f"{conv}.layer_norm_0": m.convolution.norm, f"{conv}.conv_0": m.convolution.pointwise_in,
               f"{conv}.conv_1": m.convolution.depthwise, f"{conv}.conv_2": m.convolution.pointwise_out,
               f"{name}.residual_3.layer_norm_0": m.ffn2.norm, f"{name}.residual_3.ffn_0.linear_0": m.ffn2.first,
               f"{name}.residual_3.ffn_0.linear_1": m.ffn2.second, f"{name}.layer_norm_0": m.final_norm}
    for p in "qkv":
        modules[f"{name}.residual_1.mhsa_0.{p}"] = getattr(m.attention, p)
    modules[f"{name}.residual_1.mhsa_0.out"] = m.attention.out
    if batch_norm:
        bn = c.batch_norm(f"{conv}.normalized", d, 3)
        m.convolution.conv_norm = bn
        modules[f"{conv}.normalized"] = bn
    else:
        modules[f"{conv}.layer_norm_1"] = m.convolution.conv_norm
    leaves = {}
    for scope, module in modules.items():
        for kind in ("weight", "bias"):
            if scope.endswith(".normalized"):
                leaves[f"{scope}.{kind}"] = getattr(module, kind)     # assigned by c.batch_norm
            else:
                c.set(getattr(module, kind), f"{scope}.{kind}")
                leaves[f"{scope}.{kind}"] = getattr(module, kind)
    return m, leaves


@case("nn_conformer_training", "std.nn conformer against a plain-torch torchaudio ConformerLayer (BatchNorm with batch statistics); loss, state updates and gradients",
      mode="training")
def nn_conformer_training(c):
    """
import std.nn;

model M(B: batch) {
    input x: f32[B, 6, 8];
    input t: f32[B, 6, 8];
    output y = conformer(8, 2, 12, 5)(x);
    loss mse(y, t);
}
"""
    x = c.input("x", [2, 6, 8]).requires_grad_()
    layer, leaves = conformer(c, "y", 8, 2, 12, 5)
    y = layer(x)
    c.output("y", y)
    loss = F.mse_loss(y, c.input("t", [2, 6, 8]))
    c.set_loss(loss)
    # Two biases have an exactly zero gradient, for which both sides compute only rounding noise
    # (~1e-17): a key bias adds the same score to every key of a query, which softmax cancels, and
    # the depthwise convolution's bias is a per-channel constant that BatchNorm's batch mean removes.
    del leaves["y.residual_1.mhsa_0.k.bias"]
    del leaves["y.residual_2.conformer_conv_0.conv_1.bias"]
    c.record_gradients(loss, {"x": x, **leaves})


@case("nn_conformer_inference", "std.nn conformer: BatchNorm with running statistics, and conv_norm = \"layer\" (LayerNorm over the channels); conformer_conv alone")
def nn_conformer_inference(c):
    """
import std.nn;

model M(B: batch) {
    input x: f32[B, 7, 8];
    output y = conformer(8, 2, 12, 5)(x);
    output z = conformer(8, 4, 16, 3, "layer")(x);
    output w = conformer_conv(x, 3, "layer");
}
"""
    x = c.input("x", [2, 7, 8])
    c.output("y", conformer(c, "y", 8, 2, 12, 5)[0](x))
    c.output("z", conformer(c, "z", 8, 4, 16, 3, batch_norm=False)[0](x))
    m = c.module(ConformerConvolution(8, 3, batch_norm=False))
    for scope, module in (("w.layer_norm_0", m.norm), ("w.conv_0", m.pointwise_in), ("w.conv_1", m.depthwise),
                          ("w.layer_norm_1", m.conv_norm), ("w.conv_2", m.pointwise_out)):
        c.set(module.weight, scope + ".weight")
        c.set(module.bias, scope + ".bias")
    c.output("w", m(x))


@case("mgno_smoother", "std.mgno smoother: 3x3 convolution without bias, bc = zeros, circular, reflect")
def mgno_smoother(c):
    f = c.input("f", [2, 2, 8, 8])
    for out, bc in (("a", "zeros"), ("b", "circular"), ("g", "reflect")):
        c.output(out, conv(c, out + ".conv_0", 2, 4, 3, bias=False, mode=bc)(f))


mgno_smoother.__doc__ = """
import std.mgno;

model M(B: batch) {
    input f: f32[B, 2, 8, 8];
    output a = smoother(4)(f);
    output b = smoother(4, circular)(f);
    output g = smoother(4, reflect)(f);
}
"""


@case("mgno_restriction", "std.mgno restriction: 3x3 stride-2 convolution, bc = zeros, circular, reflect")
def mgno_restriction(c):
    """
import std.mgno;

model M(B: batch) {
    input f: f32[B, 2, 8, 8];
    output a = restriction(4)(f);
    output b = restriction(3, circular)(f);
    output g = restriction(4, reflect)(f);
}
"""
    f = c.input("f", [2, 2, 8, 8])
    for out, cout, bc in (("a", 4, "zeros"), ("b", 3, "circular"), ("g", 4, "reflect")):
        c.output(out, conv(c, out + ".conv_0", 2, cout, 3, 2, 1, bias=False, mode=bc)(f))


@case("mgno_prolongation", "std.mgno prolongation: 4x4 stride-2 transposed convolution")
def mgno_prolongation(c):
    """
import std.mgno;

model M(B: batch) {
    input f: f32[B, 2, 8, 8];
    output a = prolongation(4)(f);
}
"""
    f = c.input("f", [2, 2, 8, 8])
    c.output("a", conv_transpose(c, "a.conv_transpose_0", 2, 4, 4, 2, 1, bias=False)(f))


@case("mgno_smooth", "std.mgno smooth: u + S(f − A u), bc = zeros, circular, reflect")
def mgno_smooth(c):
    f = c.input("f", [2, 2, 8, 8])
    u = c.input("u", [2, 4, 8, 8])
    for out, bc in (("a", "zeros"), ("b", "circular"), ("g", "reflect")):
        step = MgIte(A=conv(c, out + ".smoother_0.conv_0", 4, 2, 3, bias=False, mode=bc),
                     S=conv(c, out + ".smoother_1.conv_0", 2, 4, 3, bias=False, mode=bc))
        c.output(out, step((u, f))[0])


mgno_smooth.__doc__ = """
import std.mgno;

model M(B: batch) {""" + MGNO_INPUTS + """
    output a = smooth(f, u, 4);
    output b = smooth(f, u, 4, circular);
    output g = smooth(f, u, 4, reflect);
}
"""


@case("mgno_smooth_steps", "std.mgno smooth_steps: two smoothing steps with their own weights (reflect), and zero steps")
def mgno_smooth_steps(c):
    f = c.input("f", [2, 2, 8, 8])
    u = c.input("u", [2, 4, 8, 8])
    steps = []
    for i in range(2):
        scope = "a" + ".smooth_steps_0" * i + ".smooth_0"
        steps.append(MgIte(A=conv(c, scope + ".smoother_0.conv_0", 4, 2, 3, bias=False, mode="reflect"),
                           S=conv(c, scope + ".smoother_1.conv_0", 2, 4, 3, bias=False, mode="reflect")))
    c.output("a", nn.Sequential(*steps)((u, f))[0])
    c.output("b", u.clone())


mgno_smooth_steps.__doc__ = """
import std.mgno;

model M(B: batch) {""" + MGNO_INPUTS + """
    output a = smooth_steps(f, u, 4, 2, reflect);
    output b = smooth_steps(f, u, 4, 0);
}
"""


class CycleFrom(nn.Module):
    """std.mgno's cycle from level 0 with a given (already smoothed) u: the part of MgConvDC after level 0's steps."""

    def __init__(self, c, name, nu, cu, cf, bc):
        super().__init__()
        # MgConvDC's levels >= 1 (level 0 empty), with the cycle's own scope as the level-0 cycle.
        self.inner = MgConvDC(c, name, [0] + list(nu[1:]), cu, cf, bc, cycle=name)

    def forward(self, u, f):
        out, us = (u, f), [u]
        for level in self.inner.levels[1:]:
            out = level(out)
            us.append(out[0])
        for j in range(len(us) - 2, -1, -1):
            us[j] = us[j] + self.inner.RT[j](us[j + 1])
        return us[0]


@case("mgno_cycle", "std.mgno cycle: restrict, cycle on the coarse grids, prolong and add (circular), from level 0 of 3")
def mgno_cycle(c):
    f = c.input("f", [2, 2, 8, 8])
    u = c.input("u", [2, 4, 8, 8])
    cyc = CycleFrom(c, "a", [1, 1, 2], 4, 2, "circular")
    c.output("a", cyc(u, f))


mgno_cycle.__doc__ = """
import std.mgno;

model M(B: batch) {""" + MGNO_INPUTS + """
    output a = cycle(f, u, 4, [1, 1, 2], 0, circular);
}
"""


@case("mgno_vcycle", "std.mgno vcycle against the reference MgConv_DC structure, bc = zeros, circular, reflect")
def mgno_vcycle(c):
    """
import std.mgno;

model M(B: batch) {
    input f: f32[B, 2, 8, 8];
    output a = vcycle(f, 4, [1, 2, 1]);
    output b = vcycle(f, 3, [2, 1], circular);
    output g = vcycle(f, 4, [2, 2, 2], reflect);
}
"""
    f = c.input("f", [2, 2, 8, 8])
    for out, cu, nu, bc in (("a", 4, [1, 2, 1], "zeros"), ("b", 3, [2, 1], "circular"), ("g", 4, [2, 2, 2], "reflect")):
        c.output(out, MgConvDC(c, out, nu, cu, 2, bc)(f))


@case("mgno_layer", "std.mgno mgno_layer: act(W u + Conv1x1(u)), gelu and relu")
def mgno_layer_case(c):
    """
import std.mgno;

model M(B: batch) {
    input f: f32[B, 2, 8, 8];
    output a = mgno_layer(4, [1, 1])(f);
    output b = mgno_layer(3, [2, 1, 1], reflect, relu)(f);
}
"""
    f = c.input("f", [2, 2, 8, 8])
    c.output("a", mgno_layer(c, "a", 2, 4, [1, 1], "zeros")(f))
    c.output("b", mgno_layer(c, "b", 2, 3, [2, 1, 1], "reflect", F.relu)(f))


@case("mgno_mgno", "std.mgno mgno against the reference MgNO_DC, bc = zeros, circular, reflect")
def mgno_mgno(c):
    """
import std.mgno;

model M(B: batch) {
    input f: f32[B, 2, 8, 8];
    output a = mgno(4, 2, [1, 1, 2])(f);
    output b = mgno(4, 2, [1, 1, 2], 2, circular)(f);
    output g = mgno(3, 1, [2, 1], bc = reflect)(f);
}
"""
    f = c.input("f", [2, 2, 8, 8])
    c.output("a", mgno(c, "a", 2, 4, 2, [1, 1, 2], 1, "zeros")(f))
    c.output("b", mgno(c, "b", 2, 4, 2, [1, 1, 2], 2, "circular")(f))
    c.output("g", mgno(c, "g", 2, 3, 1, [2, 1], 1, "reflect")(f))


# std.einspace ---------------------------------------------------------------------------------

@case("ein_einconv", "std.einspace einconv: im2col (nn.Unfold) >> linear >> col2im, k/s/p variants")
def ein_einconv(c):
    """
import std.einspace;

model M(B: batch) {
    input x: f32[B, 3, 8, 8];
    output a = einconv(6)(x);
    output b = einconv(5, 3, 2, 1)(x);
    output g = einconv(4, 1, 1, 0)(x);
    output d = einconv(4, 4, 4, 0)(x);
}
"""
    x = c.input("x", [2, 3, 8, 8])
    for out, (cout, k, s, p) in {"a": (6, 3, 1, 1), "b": (5, 3, 2, 1), "g": (4, 1, 1, 0), "d": (4, 4, 4, 0)}.items():
        c.output(out, einconv(c, out, 3, cout, k, s, p)(x))


@case("ein_sdpa", "std.einspace sdpa: einspace's attention head")
def ein_sdpa(c):
    """
import std.einspace;

model M(B: batch) {
    input s: f32[B, 5, 8];
    output y = sdpa(6)(s);
}
"""
    s = c.input("s", [2, 5, 8])
    c.output("y", sdpa(c, "y", 8, 6)(s))


@case("ein_einmhsa", "std.einspace einmhsa: heads concatenated, then projected")
def ein_einmhsa(c):
    """
import std.einspace;

model M(B: batch) {
    input s: f32[B, 5, 8];
    output y = einmhsa(2, 8, 4)(s);
    output z = einmhsa(3, 6, 2)(s);
}
"""
    s = c.input("s", [2, 5, 8])
    c.output("y", einmhsa(c, "y", 8, 2, 8, 4)(s))
    c.output("z", einmhsa(c, "z", 8, 3, 6, 2)(s))


@case("ein_einresidual", "std.einspace einresidual: body(x) + x")
def ein_einresidual(c):
    """
import std.einspace;

model M(B: batch) {
    input s: f32[B, 5, 8];
    output y = einresidual(linear(8) >> leaky_relu)(s);
    output z = einresidual(norm)(s);
}
"""
    s = c.input("s", [2, 5, 8])
    c.output("y", leaky(linear(c, "y.linear_0", 8, 8)(s)) + s)
    c.output("z", layer_norm(c, "z.norm_0", 8)(s) + s)


RESNET_BLOCK = """
import std.einspace;

model M(B: batch) {
    input x: f32[B, 3, 8, 8];
    input t: f32[B, 3, 8, 8];
    output y = resnet_block(4, 3)(x);
    loss mse(y, t);
}
"""


def resnet_block_reference(c):
    x = c.input("x", [2, 3, 8, 8])
    y = resnet_block(c, "y", x.shape, 4, 3)(x)
    c.output("y", y)
    if c.training:
        c.set_loss(F.mse_loss(y, c.input("t", [2, 3, 8, 8])))


case_in_both_modes("ein_resnet_block", RESNET_BLOCK, resnet_block_reference,
                   "std.einspace resnet_block, norm = BatchNorm2d with running statistics",
                   "std.einspace resnet_block, BatchNorm2d with batch statistics; loss and state updates")

RESNET_BLOCK_DOWN = """
import std.einspace;

model M(B: batch) {
    input x: f32[B, 3, 8, 8];
    input t: f32[B, 6, 4, 4];
    output y = resnet_block_down(5, 6)(x);
    loss l1(y, t);
}
"""


def resnet_block_down_reference(c):
    x = c.input("x", [2, 3, 8, 8])
    y = resnet_block_down(c, "y", x.shape, 5, 6)(x)
    c.output("y", y)
    if c.training:
        c.set_loss(F.l1_loss(y, c.input("t", [2, 6, 4, 4])))


case_in_both_modes("ein_resnet_block_down", RESNET_BLOCK_DOWN, resnet_block_down_reference,
                   "std.einspace resnet_block_down: strided block with a strided 1x1 shortcut, running statistics",
                   "std.einspace resnet_block_down, batch statistics; loss and state updates")


def resnet18(c, name, shape, pool=True):
    _, channels, height, width = shape
    stem = einconv(c, name + ".einconv_0", channels, 64)
    stem_norm = einnorm(c, name + ".norm_0", (1, 64, height, width))
    stem_pool = nn.MaxPool2d(3, 2, 1) if pool else nn.Identity()
    h = (height - 1) // 2 + 1 if pool else height
    w = (width - 1) // 2 + 1 if pool else width
    counts = {"resnet_block": 0, "resnet_block_down": 0}
    stages = []
    c_in = 64
    for kind, width_out in (("resnet_block", 64), ("resnet_block", 64), ("resnet_block_down", 128), ("resnet_block", 128),
                            ("resnet_block_down", 256), ("resnet_block", 256), ("resnet_block_down", 512), ("resnet_block", 512)):
        scope = f"{name}.{kind}_{counts[kind]}"
        counts[kind] += 1
        if kind == "resnet_block":
            stages.append(resnet_block(c, scope, (1, c_in, h, w), width_out, width_out))
        else:
            stages.append(resnet_block_down(c, scope, (1, c_in, h, w), width_out, width_out))
            h, w = (h - 1) // 2 + 1, (w - 1) // 2 + 1
        c_in = width_out

    def forward(x):
        x = stem_pool(leaky(stem_norm(stem(x))))
        for stage in stages:
            x = stage(x)
        return x
    return forward


@case("ein_resnet18_inference", "std.einspace resnet18 seed (11M parameters) on a 1x3x8x8 image, running statistics", batch=1)
def ein_resnet18_inference(c):
    """
import std.einspace;

model M(B: batch) {
    input x: f32[B, 3, 8, 8];
    output y = resnet18(x);
}
"""
    x = c.input("x", [1, 3, 8, 8])
    c.output("y", resnet18(c, "y", x.shape)(x))


@case("ein_resnet18_no_pool", "std.einspace resnet18(pool = false): the stem without max-pool, on a 1x3x4x4 image (4x4 to 1x1 grids)", batch=1)
def ein_resnet18_no_pool(c):
    """
import std.einspace;

model M(B: batch) {
    input x: f32[B, 3, 4, 4];
    output y = resnet18(pool = false)(x);
}
"""
    x = c.input("x", [1, 3, 4, 4])
    c.output("y", resnet18(c, "y", x.shape, pool=False)(x))


# Batch 4, not 2: on the 1x1 grids of the last stages a BatchNorm channel normalises only B values,
# and with B = 2 some channels hold two values 0.1% apart, so x − mean cancels and the reference
# itself is ill-conditioned (relative errors ~1e-8 from rounding alone). With B = 4 the smallest
# spread (std / max) of any channel is 7%.
@case("ein_resnet18_training", "std.einspace resnet18 seed on 4x3x8x8 with batch statistics (down to 1x1 grids); loss and state updates",
      mode="training", batch=4)
def ein_resnet18_training(c):
    """
import std.einspace;

model M(B: batch) {
    input x: f32[B, 3, 8, 8];
    input t: f32[B, 512, 1, 1];
    output y = resnet18(x);
    loss mse(y, t);
}
"""
    x = c.input("x", [4, 3, 8, 8])
    y = resnet18(c, "y", x.shape)(x)
    c.output("y", y)
    c.set_loss(F.mse_loss(y, c.input("t", [4, 512, 1, 1])))


@case("ein_vit_stem", "std.einspace vit_stem: patches to tokens, linear, learnable positional encoding")
def ein_vit_stem(c):
    """
import std.einspace;

model M(B: batch) {
    input x: f32[B, 3, 8, 8];
    output y = vit_stem(8, 4)(x);
    output z = vit_stem(5, 2)(x);
}
"""
    x = c.input("x", [2, 3, 8, 8])
    for out, d, patch in (("y", 8, 4), ("z", 5, 2)):
        lin = linear(c, out + ".linear_0", 3 * patch * patch, d)
        tokens = (8 // patch) ** 2
        # einspace's LearnablePositionalEncoding holds a (1, S, D) parameter; ModelC's is (S, D).
        pos = c.param(out + ".pos_enc_0.weight", (tokens, d)).reshape(1, tokens, d)
        c.output(out, lin(im2col(x, patch, patch, 0)) + pos)


@case("ein_vit_layer", "std.einspace vit_layer: post-norm transformer layer of einspace's seed")
def ein_vit_layer(c):
    """
import std.einspace;

model M(B: batch) {
    input s: f32[B, 5, 8];
    output y = vit_layer(8, 2, 4)(s);
}
"""
    s = c.input("s", [2, 5, 8])
    attn = einmhsa(c, "y.einresidual_0.einmhsa_0", 8, 2, 8, 4)
    norm1 = einnorm(c, "y.norm_0", (1, 5, 8))
    l1, l2 = linear(c, "y.einresidual_1.linear_0", 8, 8), linear(c, "y.einresidual_1.linear_1", 8, 8)
    norm2 = einnorm(c, "y.norm_1", (1, 5, 8))
    h = norm1(attn(s) + s)
    c.output("y", norm2(l2(leaky(l1(h))) + h))


@case("ein_mixer_layer", "std.einspace mixer_layer: token mixing S -> 4S -> S and channel mixing D -> D/2 -> D in one residual")
def ein_mixer_layer(c):
    """
import std.einspace;

model M(B: batch) {
    input s: f32[B, 4, 6];
    output y = mixer_layer(s);
}
"""
    s = c.input("s", [2, 4, 6])
    norm = einnorm(c, "y.norm_0", (1, 4, 6))
    t1, t2 = linear(c, "y.linear_0", 4, 16), linear(c, "y.linear_1", 16, 4)
    c1, c2 = linear(c, "y.linear_2", 6, 3), linear(c, "y.linear_3", 3, 6)
    h = norm(s).permute(0, 2, 1)
    h = t2(leaky(t1(h))).permute(0, 2, 1)
    c.output("y", s + c2(leaky(c1(h))))


# Built-in layers ------------------------------------------------------------------------------

@case("layer_linear_identity_scale", "linear with and without bias, on rank 2 and 3; identity; scale")
def layer_linear(c):
    """
model M(B: batch) {
    input x: f32[B, 6];
    input s: f32[B, 3, 6];
    output a = linear(4)(x);
    output b = linear(4, bias = false)(x);
    output g = linear(5)(s);
    output d = identity(s);
    output e = scale(0.5)(x);
    output h = scale(-3)(s);
}
"""
    x = c.input("x", [2, 6])
    s = c.input("s", [2, 3, 6])
    c.output("a", linear(c, "a", 6, 4)(x))
    c.output("b", linear(c, "b", 6, 4, bias=False)(x))
    c.output("g", linear(c, "g", 6, 5)(s))
    c.output("d", nn.Identity()(s))
    c.output("e", 0.5 * x)
    c.output("h", -3.0 * s)


@case("layer_conv", "conv against nn.Conv2d: stride, dilation, groups, explicit pad, every padding mode, 1x1, even k")
def layer_conv(c):
    """
model M(B: batch) {
    input x: f32[B, 4, 6, 6];
    output a = conv(3)(x);
    output b = conv(3, 3, stride = 2)(x);
    output g = conv(3, 3, dilation = 2)(x);
    output d = conv(4, 3, groups = 2)(x);
    output e = conv(3, 5, pad = 1, bias = false)(x);
    output h = conv(3, 3, mode = circular)(x);
    output i = conv(3, 3, mode = reflect)(x);
    output j = conv(3, 3, mode = replicate)(x);
    output k = conv(8, 3, stride = 2, dilation = 2, groups = 4, mode = reflect)(x);
    output l = conv(3, 1)(x);
    output m = conv(3, 4)(x);
    output n = conv(2, 3, stride = 3, pad = 2, mode = circular)(x);
    output o = conv(2, 3, stride = 2, pad = 2, mode = replicate)(x);
}
"""
    x = c.input("x", [2, 4, 6, 6])
    specs = {
        "a": dict(cout=3, k=3), "b": dict(cout=3, k=3, stride=2), "g": dict(cout=3, k=3, dilation=2),
        "d": dict(cout=4, k=3, groups=2), "e": dict(cout=3, k=5, padding=1, bias=False),
        "h": dict(cout=3, k=3, mode="circular"), "i": dict(cout=3, k=3, mode="reflect"), "j": dict(cout=3, k=3, mode="replicate"),
        "k": dict(cout=8, k=3, stride=2, dilation=2, groups=4, mode="reflect"), "l": dict(cout=3, k=1), "m": dict(cout=3, k=4),
        "n": dict(cout=2, k=3, stride=3, padding=2, mode="circular"), "o": dict(cout=2, k=3, stride=2, padding=2, mode="replicate"),
    }
    for out, spec in specs.items():
        cout, k = spec.pop("cout"), spec.pop("k")
        c.output(out, conv(c, out, 4, cout, k, **spec)(x))


def conv_gradient_case(c, x, specs, cin, dims):
    """Applies each (output name, conv settings) to x, with mse against a target per output; records the gradients."""
    x.requires_grad_()
    loss, leaves = 0.0, {"x": x}
    for out, spec in specs.items():
        spec = dict(spec)
        cout, k = spec.pop("cout"), spec.pop("k")
        m = conv(c, out, cin, cout, k, dims=dims, **spec)
        y = m(x)
        c.output(out, y)
        loss = loss + F.mse_loss(y, c.input("t" + out, list(y.shape)))
        leaves[out + ".weight"] = m.weight
        if m.bias is not None:
            leaves[out + ".bias"] = m.bias
    c.set_loss(loss)
    c.record_gradients(loss, leaves)


@case("layer_conv1d", "conv on sequences (B, C, L) against nn.Conv1d: stride, dilation, groups, explicit pad, padding modes, with the loss's gradients",
      mode="training")
def layer_conv1d(c):
    """
model M(B: batch) {
    input x: f32[B, 4, 12];
    input ta: f32[B, 3, 12];
    input tb: f32[B, 6, 6];
    input tc: f32[B, 4, 14];
    input td: f32[B, 2, 12];
    input te: f32[B, 3, 6];
    output a = conv(3)(x);
    output b = conv(6, 4, stride = 2, dilation = 2, groups = 2, mode = reflect)(x);
    output c = conv(4, 5, pad = 3, bias = false, mode = circular)(x);
    output d = conv(2, 1)(x);
    output e = conv(3, [3], stride = [2], mode = replicate)(x);
    loss mse(a, ta) + mse(b, tb) + mse(c, tc) + mse(d, td) + mse(e, te);
}
"""
    x = c.input("x", [2, 4, 12])
    conv_gradient_case(c, x, {
        "a": dict(cout=3, k=3), "b": dict(cout=6, k=4, stride=2, dilation=2, groups=2, mode="reflect"),
        "c": dict(cout=4, k=5, padding=3, bias=False, mode="circular"), "d": dict(cout=2, k=1),
        "e": dict(cout=3, k=3, stride=2, mode="replicate"),
    }, 4, dims=1)


@case("layer_conv_nonsquare", "conv with per-axis k, stride, pad and dilation on images against nn.Conv2d, with the loss's gradients",
      mode="training")
def layer_conv_nonsquare(c):
    """
model M(B: batch) {
    input x: f32[B, 4, 9, 7];
    input ta: f32[B, 3, 9, 7];
    input tb: f32[B, 6, 4, 7];
    input tc: f32[B, 2, 8, 2];
    input td: f32[B, 3, 9, 7];
    output a = conv(3, [3, 1])(x);
    output b = conv(6, [5, 3], stride = [2, 1], pad = [1, 2], dilation = [1, 2], groups = 2, mode = reflect)(x);
    output c = conv(2, [2, 4], stride = [1, 3], bias = false)(x);
    output d = conv(3, [1, 3], mode = circular)(x);
    loss mse(a, ta) + mse(b, tb) + mse(c, tc) + mse(d, td);
}
"""
    x = c.input("x", [2, 4, 9, 7])
    conv_gradient_case(c, x, {
        "a": dict(cout=3, k=(3, 1)),
        "b": dict(cout=6, k=(5, 3), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2, mode="reflect"),
        "c": dict(cout=2, k=(2, 4), stride=(1, 3), bias=False), "d": dict(cout=3, k=(1, 3), mode="circular"),
    }, 4, dims=2)


@case("layer_conv1d_depthwise", "depthwise conv on sequences (groups = channels, as a Conformer's) against nn.Conv1d, with the loss's gradients",
      mode="training")
def layer_conv1d_depthwise(c):
    """
model M(B: batch) {
    input x: f32[B, 6, 10];
    input ta: f32[B, 6, 10];
    input tb: f32[B, 12, 10];
    output a = conv(6, 5, groups = 6)(x);
    output b = conv(12, 3, groups = 6, bias = false)(x);
    loss mse(a, ta) + mse(b, tb);
}
"""
    x = c.input("x", [2, 6, 10])
    conv_gradient_case(c, x, {"a": dict(cout=6, k=5, groups=6), "b": dict(cout=12, k=3, groups=6, bias=False)}, 6, dims=1)


@case("layer_conv_transpose", "conv_transpose against nn.ConvTranspose2d: stride, pad, output_pad, dilation, bias")
def layer_conv_transpose(c):
    """
model M(B: batch) {
    input x: f32[B, 3, 4, 4];
    output a = conv_transpose(3, 3)(x);
    output b = conv_transpose(3, 4, stride = 2, pad = 1)(x);
    output g = conv_transpose(3, 3, stride = 2, pad = 1, output_pad = 1)(x);
    output d = conv_transpose(3, 3, dilation = 2, bias = false)(x);
    output e = conv_transpose(2, 2, stride = 3, output_pad = 2)(x);
    output h = conv_transpose(3, 3, stride = 2, pad = 2, output_pad = 1, dilation = 2)(x);
}
"""
    x = c.input("x", [2, 3, 4, 4])
    specs = {
        "a": (3, 3, {}), "b": (3, 4, dict(stride=2, padding=1)), "g": (3, 3, dict(stride=2, padding=1, output_padding=1)),
        "d": (3, 3, dict(dilation=2, bias=False)), "e": (2, 2, dict(stride=3, output_padding=2)),
        "h": (3, 3, dict(stride=2, padding=2, output_padding=1, dilation=2)),
    }
    for out, (cout, k, spec) in specs.items():
        c.output(out, conv_transpose(c, out, 3, cout, k, **spec)(x))


@case("layer_im2col_col2im", "im2col (F.unfold, features c·k² + i·k + j) and col2im (transpose + reshape), alone and routed")
def layer_im2col(c):
    """
model M(B: batch) {
    input x: f32[B, 3, 6, 6];
    input tok: f32[B, 12, 5];
    output a = im2col(3, 1, 1)(x);
    output b = im2col(2, 2)(x);
    output g = im2col(3, 2, 1)(x);
    output d = col2im(3, 4)(tok);
    output e = (route im2col(3, 2, 1) [ linear(4) ] col2im)(x);
}
"""
    x = c.input("x", [2, 3, 6, 6])
    tok = c.input("tok", [2, 12, 5])
    c.output("a", F.unfold(x, 3, padding=1, stride=1).transpose(1, 2))
    c.output("b", F.unfold(x, 2, stride=2).transpose(1, 2))
    c.output("g", F.unfold(x, 3, padding=1, stride=2).transpose(1, 2))
    c.output("d", tok.transpose(1, 2).reshape(2, 5, 3, 4))
    # A route opens no scope: its linear is named in the model's scope.
    lin = linear(c, "linear_0", 27, 4)
    c.output("e", lin(F.unfold(x, 3, padding=1, stride=2).transpose(1, 2)).transpose(1, 2).reshape(2, 4, 3, 3))


@case("layer_pools", "max_pool, avg_pool (count_include_pad), global_avg_pool against nn.MaxPool2d/AvgPool2d")
def layer_pools(c):
    """
model M(B: batch) {
    input x: f32[B, 3, 8, 8];
    input odd: f32[B, 2, 7, 7];
    output a = max_pool(2)(x);
    output b = max_pool(3, 2, 1)(x);
    output g = avg_pool(2)(x);
    output d = avg_pool(3, 2, 1)(x);
    output e = avg_pool(3, 1, 1)(odd);
    output h = max_pool(3)(odd);
    output i = max_pool(2, 1)(odd);
    output j = global_avg_pool(x);
    output k = max_pool(3, 2, 1)(odd - 2.0);
}
"""
    x = c.input("x", [2, 3, 8, 8])
    odd = c.input("odd", [2, 2, 7, 7])
    c.output("a", nn.MaxPool2d(2)(x))
    c.output("b", nn.MaxPool2d(3, 2, 1)(x))
    c.output("g", nn.AvgPool2d(2)(x))
    c.output("d", nn.AvgPool2d(3, 2, 1)(x))
    c.output("e", nn.AvgPool2d(3, 1, 1)(odd))
    c.output("h", nn.MaxPool2d(3)(odd))
    c.output("i", nn.MaxPool2d(2, 1)(odd))
    c.output("j", nn.AdaptiveAvgPool2d(1)(x).flatten(1))
    c.output("k", nn.MaxPool2d(3, 2, 1)(odd - 2.0))     # every value negative: padding must never win


NORMS = """
model M(B: batch) {
    input v: f32[B, 6];
    input s: f32[B, 4, 6];
    input x: f32[B, 3, 5, 5];
    input t: f32[B, 3, 5, 5];
    output a = norm(v);
    output b = norm(s);
    output g = norm(x);
    output d = layer_norm(s);
    output e = layer_norm(eps = 1e-3, affine = false)(s);
    output f = batch_norm(v);
    output h = batch_norm(s);
    output i = batch_norm(momentum = 0.3, eps = 1e-3)(x);
    output j = batch_norm(affine = false)(x);
    output k = rms_norm(s);
    output l = rms_norm(eps = 1e-3)(v);
    loss mse(g, t) + mse(i, t);
}
"""


def norms_reference(c):
    v = c.input("v", [2, 6], -2.0, 3.0)
    s = c.input("s", [2, 4, 6], -2.0, 3.0)
    x = c.input("x", [2, 3, 5, 5], -2.0, 3.0)
    c.output("a", layer_norm(c, "a", 6)(v))
    c.output("b", layer_norm(c, "b", 6)(s))
    g = c.batch_norm("g", 3, 4)(x)
    c.output("g", g)
    c.output("d", layer_norm(c, "d", 6)(s))
    c.output("e", layer_norm(c, "e", 6, eps=1e-3, affine=False)(s))
    c.output("f", c.batch_norm("f", 6, 2)(v))
    c.output("h", c.batch_norm("h", 4, 3)(s))
    i = c.batch_norm("i", 3, 4, eps=1e-3, momentum=0.3)(x)
    c.output("i", i)
    c.output("j", c.batch_norm("j", 3, 4, affine=False)(x))
    # RMSNorm (torch 1.13 has no nn.RMSNorm): x · rsqrt(mean(x²) + eps) · w.
    for out, inp, d, eps in (("k", s, 6, 1e-6), ("l", v, 6, 1e-3)):
        w = c.param(out + ".weight", (d,))
        c.output(out, inp * torch.rsqrt(inp.pow(2).mean(-1, keepdim=True) + eps) * w)
    if c.training:
        t = c.input("t", [2, 3, 5, 5])
        c.set_loss(F.mse_loss(g, t) + F.mse_loss(i, t))


case_in_both_modes("layer_norms", NORMS, norms_reference,
                   "norm (LayerNorm on rank 2/3, BatchNorm2d on rank 4), layer_norm, batch_norm 1d/2d, rms_norm; running statistics",
                   "the normalisations with batch statistics (BatchNorm1d on (B, C) and (B, C, L), BatchNorm2d); loss and state updates")


@case("layer_activations", "every elementwise activation against torch.nn.functional")
def layer_activations(c):
    """
model M(B: batch) {
    input x: f32[B, 3, 4];
    output a = relu(x);
    output b = leaky_relu(x);
    output g = leaky_relu(0.2)(x);
    output d = gelu(x);
    output e = gelu(approximate = true)(x);
    output f = silu(x);
    output h = selu(x);
    output i = elu(x);
    output j = elu(0.5)(x);
    output k = sigmoid(x);
    output l = tanh(x);
    output m = softplus(x);
}
"""
    x = c.input("x", [2, 3, 4], -4.0, 4.0)
    for out, value in (("a", F.relu(x)), ("b", F.leaky_relu(x)), ("g", F.leaky_relu(x, 0.2)), ("d", F.gelu(x)),
                       ("e", F.gelu(x, approximate="tanh")), ("f", F.silu(x)), ("h", F.selu(x)), ("i", F.elu(x)),
                       ("j", F.elu(x, 0.5)), ("k", torch.sigmoid(x)), ("l", torch.tanh(x)), ("m", F.softplus(x))):
        c.output(out, value)


@case("layer_activations_wide", "activations far out: |x| up to 30, where exp overflows or saturates")
def layer_activations_wide(c):
    """
model M(B: batch) {
    input x: f32[B, 10];
    output a = sigmoid(x);
    output b = silu(x);
    output g = tanh(x);
    output d = gelu(x);
    output e = elu(x);
    output h = selu(x);
    output i = softmax(x);
    output j = log_softmax(x);
}
"""
    x = c.input("x", [2, 10], -30.0, 30.0)
    for out, value in (("a", torch.sigmoid(x)), ("b", F.silu(x)), ("g", torch.tanh(x)), ("d", F.gelu(x)), ("e", F.elu(x)),
                       ("h", F.selu(x)), ("i", torch.softmax(x, -1)), ("j", torch.log_softmax(x, -1))):
        c.output(out, value)


@case("layer_math", "exp, log, abs, sin, cos, sqrt, pow against torch, with the loss's gradients by autograd",
      mode="training")
def layer_math(c):
    """
model M(B: batch) {
    input x: f32[B, 3, 4];
    input s: f32[B, 3, 4];
    input t: f32[B, 3, 4];
    output a = exp(s);
    output b = log(x);
    output d = abs(s);
    output e = sin(s);
    output f = cos(s);
    output g = sqrt(x);
    output h = pow(3.0)(s);
    output k = pow(-0.5)(x);
    output siren = (linear(4) >> scale(30.0) >> sin)(s);
    loss mse(a * b + d - e * f + g + h + k + siren, t);
}
"""
    x = c.input("x", [2, 3, 4], 0.2, 2.0).requires_grad_()
    s = c.input("s", [2, 3, 4], -3.0, 3.0).requires_grad_()
    t = c.input("t", [2, 3, 4], -1.0, 1.0)
    layer = linear(c, "linear_0", 4, 4)
    outputs = {"a": torch.exp(s), "b": torch.log(x), "d": torch.abs(s), "e": torch.sin(s), "f": torch.cos(s),
               "g": torch.sqrt(x), "h": torch.pow(s, 3.0), "k": torch.pow(x, -0.5), "siren": torch.sin(30.0 * layer(s))}
    for out, value in outputs.items():
        c.output(out, value)
    o = outputs
    loss = F.mse_loss(o["a"] * o["b"] + o["d"] - o["e"] * o["f"] + o["g"] + o["h"] + o["k"] + o["siren"], t)
    c.set_loss(loss)
    c.record_gradients(loss, {"x": x, "s": s, "linear_0.weight": layer.weight, "linear_0.bias": layer.bias})


@case("layer_parameter", "a free learned tensor (parameter) as a learned query pooling tokens, with the loss's gradients",
      mode="training")
def layer_parameter(c):
    """
block pool(x: tensor, queries: int) {
    let weight = parameter(queries, x.features, init = xavier_uniform);
    return softmax(weight @ permute(0, 2, 1)(x) * 0.25) @ x;
}

model M(B: batch) {
    input s: f32[B, 5, 16];
    input t: f32[B, 4, 16];
    output pooled = pool(s, 4);
    loss mse(pooled, t);
}
"""
    s = c.input("s", [2, 5, 16]).requires_grad_()
    t = c.input("t", [2, 4, 16])
    query = c.param("pooled.weight", (4, 16)).requires_grad_()
    pooled = torch.softmax(query @ s.transpose(1, 2) * 0.25, -1) @ s
    c.output("pooled", pooled)
    loss = F.mse_loss(pooled, t)
    c.set_loss(loss)
    c.record_gradients(loss, {"s": s, "pooled.weight": query})


@case("layer_masks", "tril and triu (diagonals, fill) and a causal softmax, with the loss's gradients", mode="training")
def layer_masks(c):
    """
model M(B: batch) {
    input x: f32[B, 2, 4, 5];
    input t: f32[B, 2, 4, 5];
    output a = tril(x);
    output b = triu(1)(x);
    output d = tril(-1, 0.5)(x);
    output e = triu(diagonal = -1)(x);
    output causal = (tril(fill = -1e9) >> softmax)(x);
    loss mse(a * b + d - e + causal, t);
}
"""
    x = c.input("x", [2, 2, 4, 5], -2.0, 2.0).requires_grad_()
    t = c.input("t", [2, 2, 4, 5])
    ones = torch.ones(4, 5, dtype=torch.bool)
    o = {"a": torch.tril(x), "b": torch.triu(x, 1), "d": x.masked_fill(torch.triu(ones, 0), 0.5),
         "e": torch.triu(x, -1), "causal": torch.softmax(x.masked_fill(torch.triu(ones, 1), -1e9), -1)}
    for out, value in o.items():
        c.output(out, value)
    loss = F.mse_loss(o["a"] * o["b"] + o["d"] - o["e"] + o["causal"], t)
    c.set_loss(loss)
    c.record_gradients(loss, {"x": x})


@case("index_slicing", "indexing and slicing expressions (an index drops its dimension; ranges with steps, negative bounds), with the loss's gradients",
      mode="training")
def index_slicing(c):
    """
model M(B: batch) {
    input x: f32[B, 5, 6];
    input t: f32[B, 3, 4];
    output cls = x[:, 0];
    output last = x[:, -1, 1:5];
    output stepped = x[:, ::2, 1::2];
    output inner = x[:, 1:4, 2:];
    output sparse = x[:, 0:5:3, -2];
    output column = x[:, :, 5][:, 1:-1];
    loss mse(inner * stepped[:, :, :1] + reshape(1, 4)(last) + reshape(1, 4)(cls[:, 2:6]), t);
}
"""
    x = c.input("x", [2, 5, 6], -2.0, 2.0).requires_grad_()
    t = c.input("t", [2, 3, 4])
    o = {"cls": x[:, 0], "last": x[:, -1, 1:5], "stepped": x[:, ::2, 1::2], "inner": x[:, 1:4, 2:],
         "sparse": x[:, 0:5:3, -2], "column": x[:, :, 5][:, 1:-1]}
    for out, value in o.items():
        c.output(out, value)
    loss = F.mse_loss(o["inner"] * o["stepped"][:, :, :1] + o["last"].reshape(2, 1, 4) + o["cls"][:, 2:6].reshape(2, 1, 4), t)
    c.set_loss(loss)
    c.record_gradients(loss, {"x": x})


@case("cls_token", "a learned CLS token expanded along the batch, concatenated before the tokens and read back with x[:, 0], with the loss's gradients",
      mode="training")
def cls_token(c):
    """
/// Puts a learned token before the tokens of every sample, as ViT's CLS token.
block with_cls(x: tensor) {
    let weight = parameter(1, 1, x.features, init = normal(0.0, 0.02));
    return concat(1)(expand(x.shape[0], 1, -1)(weight), x);
}

model M(B: batch) {
    input x: f32[B, 4, 8];
    input t: f32[B, 8];
    let tokens = with_cls(x);
    let mixed = tokens + softmax(tokens @ permute(0, 2, 1)(tokens)) @ tokens;
    output y = mixed[:, 0];
    output wide = expand(B, 3)(x[:, :1, 0]);
    loss mse(y, t);
}
"""
    x = c.input("x", [2, 4, 8]).requires_grad_()
    t = c.input("t", [2, 8])
    cls = c.param("tokens.weight", (1, 1, 8)).requires_grad_()
    tokens = torch.cat([cls.expand(2, 1, 8), x], 1)
    mixed = tokens + torch.softmax(tokens @ tokens.permute(0, 2, 1), -1) @ tokens
    c.output("y", mixed[:, 0])
    c.output("wide", x[:, :1, 0].expand(2, 3))
    loss = F.mse_loss(mixed[:, 0], t)
    c.set_loss(loss)
    c.record_gradients(loss, {"x": x, "tokens.weight": cls})


@case("shared_rnn", "a weight-tied RNN unrolled over 8 steps with share(linear) (nn.RNN's 4 parameter tensors), with the loss's gradients",
      mode="training")
def shared_rnn(c):
    """
/// Elman RNN steps t..n-1 with one input and one recurrent projection for every step.
block unroll(x: tensor, h: tensor, wx: block, wh: block, t: int = 0) {
    if t == x.shape[1] {
        return h;
    }
    return unroll(x, tanh(wx(x[:, t]) + wh(h)), wx, wh, t + 1);
}

model M(B: batch) {
    input x: f32[B, 8, 3];
    input t: f32[B, 5];
    let wx = share(linear(5));
    let wh = share(linear(5));
    output h = unroll(x, 0.0 * wx(x[:, 0]), wx, wh);
    loss mse(h, t);
}
"""
    x = c.input("x", [2, 8, 3]).requires_grad_()
    t = c.input("t", [2, 5])
    rnn = c.module(nn.RNN(3, 5, batch_first=True))
    c.set(rnn.weight_ih_l0, "wx.weight")
    c.set(rnn.bias_ih_l0, "wx.bias")
    c.set(rnn.weight_hh_l0, "wh.weight")
    c.set(rnn.bias_hh_l0, "wh.bias")
    _, h = rnn(x)
    h = h[0]
    c.output("h", h)
    loss = F.mse_loss(h, t)
    c.set_loss(loss)
    c.record_gradients(loss, {"x": x, "wx.weight": rnn.weight_ih_l0, "wx.bias": rnn.bias_ih_l0,
                              "wh.weight": rnn.weight_hh_l0, "wh.bias": rnn.bias_hh_l0})


@case("shared_tied_embedding", "an embedding tied to the output projection (logits = h @ emb.weight^T) and a shared layer applied twice, with the loss's gradients",
      mode="training")
def shared_tied_embedding(c):
    """
model M(B: batch) {
    input ids: i32[B, 5];
    input t: f32[B, 5, 12];
    let emb = share(embedding(12, 6));
    let mix = share(linear(6));
    let h = mix(tanh(mix(emb(ids))));
    output logits = h @ transpose(emb.weight);
    loss mse(logits, t);
}
"""
    ids = c.input("ids", [2, 5], 0, 12, dtype="i32")
    t = c.input("t", [2, 5, 12])
    emb = c.module(nn.Embedding(12, 6))
    mix = c.module(nn.Linear(6, 6))
    c.set(emb.weight, "emb.weight")
    c.set(mix.weight, "mix.weight")
    c.set(mix.bias, "mix.bias")
    h = mix(torch.tanh(mix(emb(ids.long()))))
    logits = h @ emb.weight.t()
    c.output("logits", logits)
    loss = F.mse_loss(logits, t)
    c.set_loss(loss)
    c.record_gradients(loss, {"emb.weight": emb.weight, "mix.weight": mix.weight, "mix.bias": mix.bias})


@case("layer_masked_fill_arange", "masked_fill with an i32 padding mask and a computed f32 mask, and arange positions in the graph (RoPE-style angles), with the loss's gradients",
      mode="training")
def layer_masked_fill_arange(c):
    """
model M(B: batch) {
    input x: f32[B, 4, 5];
    input pad: i32[B, 1, 5];
    input t: f32[B, 4, 5];
    output attention = (masked_fill(-1e9) >> softmax)(x, pad);
    output kept = masked_fill(fill = 0.5)(x, 1.0 - float(value = pad));
    let rows = transpose(expand(5, 4)(arange(1, 9, 2)));
    let columns = expand(4, 5)(arange(5));
    output rotated = x * cos(0.1 * rows * columns) + x * sin(0.1 * rows * columns);
    loss mse(attention + kept + rotated, t);
}
"""
    x = c.input("x", [2, 4, 5], -2.0, 2.0).requires_grad_()
    pad = c.input("pad", [2, 1, 5], 0, 2, dtype="i32")
    t = c.input("t", [2, 4, 5])
    attention = torch.softmax(x.masked_fill(pad != 0, -1e9), -1)
    kept = x.masked_fill((1.0 - pad.double()) != 0, 0.5)
    angles = 0.1 * torch.arange(1, 9, 2, dtype=F64)[:, None] * torch.arange(5, dtype=F64)[None, :]
    rotated = x * torch.cos(angles) + x * torch.sin(angles)
    for name, value in (("attention", attention), ("kept", kept), ("rotated", rotated)):
        c.output(name, value)
    loss = F.mse_loss(attention + kept + rotated, t)
    c.set_loss(loss)
    c.record_gradients(loss, {"x": x})


@case("layer_dropout_eval", "dropout and alpha_dropout outside training are the identity, as torch's modules in eval mode")
def layer_dropout_eval(c):
    """
model M(B: batch) {
    input x: f32[B, 3, 4];
    output a = dropout(0.3)(x);
    output b = (selu >> alpha_dropout(0.1, seed = 2))(x);
    output d = dropout(x);
}
"""
    x = c.input("x", [2, 3, 4], -2.0, 2.0)
    c.output("a", nn.Dropout(0.3).eval()(x))
    c.output("b", nn.AlphaDropout(0.1).eval()(F.selu(x)))
    c.output("d", nn.Dropout().eval()(x))


def rfft_modes(x, dim, m):
    """torch.fft.rfft over dim keeping frequencies 0 .. m-1, complex as a trailing (re, im) axis."""
    return torch.view_as_real(torch.fft.rfft(x, dim=dim).narrow(dim, 0, m))


def irfft_real(z, n, dim):
    """torch.fft.irfft(z, n) of a (re, im)-trailing tensor; dim counts without the (re, im) axis."""
    return torch.fft.irfft(torch.view_as_complex(z.contiguous()), n=n, dim=dim)


def fft_corners(z, dim, h):
    """torch.fft.fft over dim keeping the 2h corner frequencies 0 .. h-1 and -h .. -1 (all when h is 0)."""
    full = torch.fft.fft(torch.view_as_complex(z.contiguous()), dim=dim)
    kept = full if h == 0 else torch.cat([full.narrow(dim, 0, h), full.narrow(dim, full.shape[dim] - h, h)], dim)
    return torch.view_as_real(kept)


def ifft_corners(z, n, dim):
    """torch.fft.ifft(., n) of all n frequencies or of 2h < n corners (the others zero)."""
    zc = torch.view_as_complex(z.contiguous())
    kept = zc.shape[dim]
    if kept != n:
        h = kept // 2
        shape = list(zc.shape)
        shape[dim] = n - kept
        zc = torch.cat([zc.narrow(dim, 0, h), torch.zeros(shape, dtype=zc.dtype), zc.narrow(dim, h, h)], dim)
    return torch.view_as_real(torch.fft.ifft(zc, dim=dim))


@case("fourier_1d", "rfft/irfft over odd (7) and even (8) lengths with all and with kept modes, round trips irfft(rfft(x)), "
      "and a complex fft/ifft over another axis, with the loss's gradients", mode="training")
def fourier_1d(c):
    """
model M(B: batch) {
    input x: f32[B, 3, 7];
    input y: f32[B, 3, 8];
    input t: f32[B, 3, 7];
    input s: f32[B, 3, 8];
    output odd = rfft(x);
    output even = rfft(modes = 3)(y);
    output odd_round = irfft(7)(rfft(x));
    output even_round = irfft(8)(rfft(y));
    output low_pass = irfft(8)(rfft(modes = 2)(y));
    output channels = fft(axis = 1)(rfft(x));
    output channels_round = ifft(3, axis = 1)(fft(axis = 1)(rfft(x)));
    output corners = fft(axis = 2, modes = 3)(rfft(axis = 1)(y));
    loss mse(irfft(7)(ifft(3, axis = 1)(fft(axis = 1)(rfft(modes = 3)(x * x)))), t)
        + mse(irfft(3, axis = 1)(ifft(8, axis = 2)(fft(axis = 2, modes = 3)(rfft(axis = 1)(y)))) + irfft(8)(rfft(modes = 5)(y)), s);
}
"""
    x = c.input("x", [2, 3, 7]).requires_grad_()
    y = c.input("y", [2, 3, 8]).requires_grad_()
    t = c.input("t", [2, 3, 7])
    s = c.input("s", [2, 3, 8])
    c.output("odd", rfft_modes(x, -1, 4))
    c.output("even", rfft_modes(y, -1, 3))
    c.output("odd_round", irfft_real(rfft_modes(x, -1, 4), 7, -1))
    c.output("even_round", irfft_real(rfft_modes(y, -1, 5), 8, -1))
    c.output("low_pass", irfft_real(rfft_modes(y, -1, 2), 8, -1))
    c.output("channels", fft_corners(rfft_modes(x, -1, 4), 1, 0))
    c.output("channels_round", ifft_corners(fft_corners(rfft_modes(x, -1, 4), 1, 0), 3, 1))
    c.output("corners", fft_corners(rfft_modes(y, 1, 2), 2, 3))
    first = irfft_real(ifft_corners(fft_corners(rfft_modes(x * x, -1, 3), 1, 0), 3, 1), 7, -1)
    second = irfft_real(ifft_corners(fft_corners(rfft_modes(y, 1, 2), 2, 3), 8, 2), 3, 1) + irfft_real(rfft_modes(y, -1, 5), 8, -1)
    loss = F.mse_loss(first, t) + F.mse_loss(second, s)
    c.set_loss(loss)
    c.record_gradients(loss, {"x": x, "y": y})


@case("fourier_spectral_conv", "an FNO spectral convolution on an 8x7 grid: rfft over W keeping 3 modes, fft over H keeping "
      "2+2 corners, spectral_mix's complex weights, ifft and irfft back, with the loss's gradients", mode="training")
def fourier_spectral_conv(c):
    """
model M(B: batch) {
    input x: f32[B, 3, 8, 7];
    input t: f32[B, 4, 8, 7];
    let z = fft(axis = 2, modes = 2)(rfft(modes = 3)(x));
    output y = irfft(7)(ifft(8, axis = 2)(spectral_mix(4)(z)));
    loss mse(y, t);
}
"""
    x = c.input("x", [2, 3, 8, 7]).requires_grad_()
    t = c.input("t", [2, 4, 8, 7])
    w = c.param("spectral_mix_0.weight", (3, 4, 4, 3, 2)).requires_grad_()
    z = torch.view_as_complex(fft_corners(rfft_modes(x, -1, 3), 2, 2).contiguous())
    mixed = torch.view_as_real(torch.einsum("bixy,ioxy->boxy", z, torch.view_as_complex(w.contiguous())))
    y = irfft_real(ifft_corners(mixed, 8, 2), 7, -1)
    c.output("y", y)
    loss = F.mse_loss(y, t)
    c.set_loss(loss)
    c.record_gradients(loss, {"x": x, "spectral_mix_0.weight": w})


class FnoSpectralConv2d(nn.Module):
    """Li et al.'s SpectralConv2d: weights1 (the first modes1 rows) and weights2 (the last modes1
    rows) stored together as one real [in, out, 2·modes1, modes2, 2] tensor, ModelC's layout."""

    def __init__(self, cin, cout, modes1, modes2):
        super().__init__()
        self.modes1, self.modes2, self.cout = modes1, modes2, cout
        self.weight = nn.Parameter(torch.empty(cin, cout, 2 * modes1, modes2, 2, dtype=F64))

    def forward(self, x):
        m1, m2 = self.modes1, self.modes2
        h, w = x.shape[-2:]
        spectrum = torch.fft.rfft2(x)
        weights = torch.view_as_complex(self.weight)
        out = torch.zeros(x.shape[0], self.cout, h, w // 2 + 1, dtype=spectrum.dtype)
        out[:, :, :m1, :m2] = torch.einsum("bixy,ioxy->boxy", spectrum[:, :, :m1, :m2], weights[:, :, :m1])
        out[:, :, -m1:, :m2] = torch.einsum("bixy,ioxy->boxy", spectrum[:, :, -m1:, :m2], weights[:, :, m1:])
        return torch.fft.irfft2(out, s=(h, w))


def fno_grid(x):
    """Li et al.'s get_grid as channels: linspace(0, 1) along H, then along W."""
    b, _, h, w = x.shape
    rows = torch.linspace(0, 1, h, dtype=F64).reshape(1, 1, h, 1).expand(b, 1, h, w)
    columns = torch.linspace(0, 1, w, dtype=F64).reshape(1, 1, 1, w).expand(b, 1, h, w)
    return torch.cat([x, rows, columns], 1)


class Fno2d(nn.Module):
    """Li et al.'s FNO2d (fourier_2d.py) on (B, C, H, W), its Linear layers as the equal 1x1 convolutions."""

    def __init__(self, cin, width, modes, layers, hidden, out):
        super().__init__()
        self.lift = nn.Conv2d(cin + 2, width, 1)
        self.spectral = nn.ModuleList([FnoSpectralConv2d(width, width, modes, modes) for _ in range(layers)])
        self.bypass = nn.ModuleList([nn.Conv2d(width, width, 1) for _ in range(layers)])
        self.fc1 = nn.Conv2d(width, hidden, 1)
        self.fc2 = nn.Conv2d(hidden, out, 1)

    def forward(self, x):
        x = self.lift(fno_grid(x))
        for i, (spectral, bypass) in enumerate(zip(self.spectral, self.bypass)):
            x = spectral(x) + bypass(x)
            x = F.gelu(x) if i < len(self.spectral) - 1 else x
        return self.fc2(F.gelu(self.fc1(x)))


def fno_parameter_count(width, modes, layers=4, cin=1, hidden=128, out=1):
    """Li et al.'s count_params of FNO2d (a complex number counts twice)."""
    return sum(p.numel() for p in Fno2d(cin, width, modes, layers, hidden, out).parameters())


@case("fno_blocks", "std.fno: with_grid, spectral_conv (2·2 x 3 modes), fourier_layer and a 2-layer FNO against Li et al.'s "
      "SpectralConv2d/FNO2d (rfft2, corner weights, irfft2), with the loss's gradients", mode="training")
def fno_blocks(c):
    """
import std.fno;

model M(B: batch) {
    input x: f32[B, 1, 8, 6];
    input t: f32[B, 1, 8, 6];
    output grid = with_grid(x);
    output spectral = spectral_conv(2, 2, 3)(x);
    output layer = fourier_layer(2, 3, 2)(x);
    output y = fno(4, 2, layers = 2, hidden = 5)(x);
    loss mse(y, t);
}
"""
    x = c.input("x", [2, 1, 8, 6]).requires_grad_()
    t = c.input("t", [2, 1, 8, 6])
    c.output("grid", fno_grid(x))
    spectral = c.module(FnoSpectralConv2d(1, 2, 2, 3))
    c.set(spectral.weight, "spectral.spectral_mix_0.weight")
    c.output("spectral", spectral(x))
    layer_spectral = c.module(FnoSpectralConv2d(1, 2, 3, 2))
    layer_bypass = c.module(nn.Conv2d(1, 2, 1))
    c.set(layer_spectral.weight, "layer.spectral_conv_0.spectral_mix_0.weight")
    c.set(layer_bypass.weight, "layer.conv_0.weight")
    c.set(layer_bypass.bias, "layer.conv_0.bias")
    c.output("layer", F.gelu(layer_spectral(x) + layer_bypass(x)))
    fno = c.module(Fno2d(1, 4, 2, 2, 5, 1))
    for name, conv in (("y.conv_0", fno.lift), ("y.conv_1", fno.fc1), ("y.conv_2", fno.fc2)):
        c.set(conv.weight, name + ".weight")
        c.set(conv.bias, name + ".bias")
    for i in range(2):
        c.set(fno.spectral[i].weight, f"y.fourier_layer_{i}.spectral_conv_0.spectral_mix_0.weight")
        c.set(fno.bypass[i].weight, f"y.fourier_layer_{i}.conv_0.weight")
        c.set(fno.bypass[i].bias, f"y.fourier_layer_{i}.conv_0.bias")
    y = fno(x)
    c.output("y", y)
    loss = F.mse_loss(y, t)
    c.set_loss(loss)
    c.record_gradients(loss, {"x": x, "y.fourier_layer_0.spectral_conv_0.spectral_mix_0.weight": fno.spectral[0].weight,
                              "y.conv_0.weight": fno.lift.weight})


@case("layer_softplus_tail", "softplus where e^x is below the rounding of 1 + e^x (x in [-45, -25])")
def layer_softplus_tail(c):
    """
model M(B: batch) {
    input x: f32[B, 6];
    output y = softplus(x);
}
"""
    x = c.input("x", [2, 6], -45.0, -25.0)
    c.output("y", F.softplus(x))


@case("layer_glu_family", "glu, reglu, geglu, swiglu: first half times gate(second half)")
def layer_glu(c):
    """
model M(B: batch) {
    input x: f32[B, 3, 8];
    output a = glu(x);
    output b = reglu(x);
    output g = geglu(x);
    output d = swiglu(x);
}
"""
    x = c.input("x", [2, 3, 8], -3.0, 3.0)
    a, b = x.chunk(2, dim=-1)
    c.output("a", F.glu(x, dim=-1))
    c.output("b", a * F.relu(b))
    c.output("g", a * F.gelu(b))
    c.output("d", a * F.silu(b))


@case("layer_softmax", "softmax and log_softmax on the last, middle, negative and batch dimensions")
def layer_softmax(c):
    """
model M(B: batch) {
    input x: f32[B, 3, 4, 5];
    output a = softmax(x);
    output b = softmax(dim = 1)(x);
    output g = softmax(dim = -2)(x);
    output d = softmax(dim = 0)(x);
    output e = log_softmax(x);
    output f = log_softmax(dim = 2)(x);
    output h = log_softmax(dim = -3)(x);
    output i = log_softmax(dim = 0)(x);
}
"""
    x = c.input("x", [2, 3, 4, 5], -3.0, 3.0)
    for out, dim in (("a", -1), ("b", 1), ("g", -2), ("d", 0)):
        c.output(out, torch.softmax(x, dim=dim))
    for out, dim in (("e", -1), ("f", 2), ("h", -3), ("i", 0)):
        c.output(out, torch.log_softmax(x, dim=dim))


@case("layer_shape", "reshape, flatten, permute, transpose, mean and sum (including over the batch)")
def layer_shape(c):
    """
model M(B: batch) {
    input x: f32[B, 2, 3, 4];
    output a = reshape(6, 4)(x);
    output b = reshape(-1, 3, 2)(x);
    output g = flatten(x);
    output d = permute(0, 3, 1, 2)(x);
    output e = transpose(x);
    output f = transpose(1, 3)(x);
    output h = mean(1)(x);
    output i = mean(2, 3)(x);
    output j = sum(-1)(x);
    output k = sum(0)(x);
    output l = mean(0, 2)(x);
}
"""
    x = c.input("x", [2, 2, 3, 4])
    c.output("a", x.reshape(2, 6, 4))
    c.output("b", x.reshape(2, -1, 3, 2))
    c.output("g", x.flatten(1))
    c.output("d", x.permute(0, 3, 1, 2))
    c.output("e", x.transpose(-2, -1))
    c.output("f", x.transpose(1, 3))
    c.output("h", x.mean(1))
    c.output("i", x.mean((2, 3)))
    c.output("j", x.sum(-1))
    c.output("k", x.sum(0))
    c.output("l", x.mean((0, 2)))


@case("layer_merges", "add, mul, concat, matmul, scaled_matmul on tensors and as branch merges; the clone and group splitters")
def layer_merges(c):
    """
model M(B: batch) {
    input a: f32[B, 3, 4];
    input b: f32[B, 3, 4];
    input c: f32[B, 3, 4];
    input w: f32[B, 4, 5];
    input m: f32[4, 2];
    output s = add(a, b, c);
    output p = mul(a, b);
    output q = mul(a, b, c);
    output r = concat(a, b);
    output u = concat(1)(a, b, c);
    output v = matmul(a, w);
    output x = scaled_matmul(a, w);
    output y = matmul(a, m);
    output z = (branch clone(2) [ linear(4), identity ] merge mul)(a);
    output gs = (branch group(2) [ linear(3), linear(5) ] merge concat(-1))(a);
    output gc = (branch group(3, 1) [ scale(2.0) ] merge add)(u);
}
"""
    a = c.input("a", [2, 3, 4])
    b = c.input("b", [2, 3, 4])
    cc = c.input("c", [2, 3, 4])
    w = c.input("w", [2, 4, 5])
    m = c.input("m", [4, 2])
    c.output("s", a + b + cc)
    c.output("p", a * b)
    c.output("q", a * b * cc)
    c.output("r", torch.cat([a, b], dim=-1))
    c.output("u", torch.cat([a, b, cc], dim=1))
    c.output("v", torch.matmul(a, w))
    c.output("x", torch.matmul(a, w) / math.sqrt(4))
    c.output("y", torch.matmul(a, m))
    c.output("z", linear(c, "linear_0", 4, 4)(a) * a)
    halves = torch.split(a, 2, dim=-1)
    c.output("gs", torch.cat([linear(c, "linear_1", 2, 3)(halves[0]), linear(c, "linear_2", 2, 5)(halves[1])], dim=-1))
    u = torch.cat([a, b, cc], dim=1)
    thirds = torch.split(u, 3, dim=1)
    c.output("gc", 2.0 * thirds[0] + 2.0 * thirds[1] + 2.0 * thirds[2])


@case("layer_embedding", "embedding against nn.Embedding; ids outside the table clamped (ModelC's documented rule)")
def layer_embedding(c):
    """
model M(B: batch) {
    input ids: i32[B, 5];
    input far: i32[B, 6];
    output y = embedding(10, 4)(ids);
    output z = embedding(10, 3)(far);
}
"""
    ids = c.input("ids", [2, 5], 0, 10, dtype="i32")
    far = c.input("far", [2, 6], -4, 14, dtype="i32")
    ey, ez = c.module(nn.Embedding(10, 4)), c.module(nn.Embedding(10, 3))
    c.set(ey.weight, "y.weight")
    c.set(ez.weight, "z.weight")
    c.output("y", ey(ids))
    c.output("z", ez(far.clamp(0, 9)))


@case("layer_pos_enc", "pos_enc: a learned table with the input's shape minus the batch, added (einspace's LearnablePositionalEncoding)")
def layer_pos_enc(c):
    """
model M(B: batch) {
    input s: f32[B, 5, 4];
    input x: f32[B, 2, 3, 3];
    output y = pos_enc(s);
    output z = pos_enc(x);
}
"""
    s = c.input("s", [2, 5, 4])
    x = c.input("x", [2, 2, 3, 3])
    c.output("y", s + c.param("y.weight", (5, 4)).unsqueeze(0))
    c.output("z", x + c.param("z.weight", (2, 3, 3)).unsqueeze(0))


@case("layer_rbf", "rbf: exp(−((x − c_i)/h)²) on linspace(low, high, centers), h the grid step (FastKAN's basis)")
def layer_rbf(c):
    """
model M(B: batch) {
    input x: f32[B, 3];
    input s: f32[B, 2, 3];
    output y = rbf(5)(x);
    output z = rbf(4, -1.0, 3.0)(s);
}
"""
    x = c.input("x", [2, 3], -2.5, 2.5)
    s = c.input("s", [2, 2, 3], -1.5, 3.5)
    for out, inp, n, low, high in (("y", x, 5, -2.0, 2.0), ("z", s, 4, -1.0, 3.0)):
        grid = torch.linspace(low, high, n)
        c.output(out, torch.exp(-(((inp[..., None] - grid) / ((high - low) / (n - 1))) ** 2)))


def loss_case(name, description, program, shapes, loss):
    @case(name, description, mode="training")
    def fill(c):
        x = c.input("x", shapes["x"])
        y = linear(c, "y", shapes["x"][-1], shapes["t"][-1] if "t" in shapes else shapes["classes"])(x)
        c.output("y", y)
        if "t" in shapes:
            target = c.input("t", shapes["t"], *shapes.get("range", (-1.0, 1.0)))
        else:
            target = c.input("t", shapes["labels"], 0, shapes["classes"], dtype="i32")
        c.set_loss(loss(y, target))
    fill.__doc__ = program


loss_case("loss_mse", "mse against F.mse_loss", """
model M(B: batch) {
    input x: f32[B, 4, 6];
    input t: f32[B, 4, 3];
    output y = linear(3)(x);
    loss mse(y, t);
}
""", {"x": [2, 4, 6], "t": [2, 4, 3]}, F.mse_loss)

loss_case("loss_l1", "l1 against F.l1_loss", """
model M(B: batch) {
    input x: f32[B, 6];
    input t: f32[B, 3];
    output y = linear(3)(x);
    loss l1(y, t);
}
""", {"x": [2, 6], "t": [2, 3]}, F.l1_loss)

loss_case("loss_rel_l2", "rel_l2: per-sample ‖p − t‖₂ / ‖t‖₂ over all but the batch, averaged", """
model M(B: batch) {
    input x: f32[B, 4, 6];
    input t: f32[B, 4, 3];
    output y = linear(3)(x);
    loss rel_l2(y, t);
}
""", {"x": [2, 4, 6], "t": [2, 4, 3], "range": (0.5, 2.0)},
    lambda p, t: (torch.linalg.vector_norm((p - t).flatten(1), dim=1) / torch.linalg.vector_norm(t.flatten(1), dim=1)).mean())

loss_case("loss_cross_entropy", "cross_entropy on (B, C) logits against F.cross_entropy", """
model M(B: batch) {
    input x: f32[B, 6];
    input t: i32[B];
    output y = linear(5)(x);
    loss cross_entropy(y, t);
}
""", {"x": [2, 6], "labels": [2], "classes": 5}, lambda y, t: F.cross_entropy(y, t.long()))

loss_case("loss_cross_entropy_sequence", "cross_entropy on (B, S, C) logits (classes last) against F.cross_entropy", """
model M(B: batch) {
    input x: f32[B, 4, 6];
    input t: i32[B, 4];
    output y = linear(5)(x);
    loss cross_entropy(y, t);
}
""", {"x": [2, 4, 6], "labels": [2, 4], "classes": 5},
    lambda y, t: F.cross_entropy(y.reshape(-1, 5), t.reshape(-1).long()))


# std.nn's sequence models (issue 16): causal and rotary attention, the causal decoder layer, RNN and GRU.

def rotary(t, dk, base):
    """Half-split rotary embedding of (B, H, S, dk) features."""
    half = dk // 2
    angle = torch.arange(t.shape[2], dtype=F64)[:, None] * base ** (-torch.arange(0, dk, 2, dtype=F64) / dk)[None, :]
    first, second = t[..., :half], t[..., half:]
    return torch.cat([first * torch.cos(angle) - second * torch.sin(angle), second * torch.cos(angle) + first * torch.sin(angle)], -1)


def self_attention(c, name, d, heads, causal=False, rope=False, base=10000.0):
    """std.nn self_attention written with torch ops: q, k, v, out projections; causal mask; half-split RoPE."""
    q, k, v, out = (linear(c, f"{name}.{p}", d, d) for p in ("q", "k", "v", "out"))
    dk = d // heads

    def forward(x):
        batch, s, _ = x.shape
        split = lambda t: t.reshape(batch, s, heads, dk).transpose(1, 2)
        qh, kh, vh = split(q(x)), split(k(x)), split(v(x))
        if rope:
            qh, kh = rotary(qh, dk, base), rotary(kh, dk, base)
        scores = qh @ kh.transpose(-2, -1) / math.sqrt(dk)
        if causal:
            scores = scores.masked_fill(torch.triu(torch.ones(s, s, dtype=torch.bool), 1), float("-inf"))
        return out((torch.softmax(scores, -1) @ vh).transpose(1, 2).reshape(batch, s, d))
    return forward


@case("nn_self_attention", "std.nn self_attention: causal against nn.MultiheadAttention with a causal attn_mask, and rotary (RoPE) with and without the mask by hand, with the loss's gradients",
      mode="training")
def nn_self_attention(c):
    """
import std.nn;

model M(B: batch) {
    input s: f32[B, 5, 8];
    input t: f32[B, 5, 8];
    input heads: f32[B, 3, 5, 6];
    output y = self_attention(s, 2, causal = true);
    output z = self_attention(s, 2, rope = true);
    output w = self_attention(s, 4, causal = true, rope = true, base = 100.0);
    output q = rotary(heads, 50.0);
    loss mse(y + z + w, t);
}
"""
    s = c.input("s", [2, 5, 8]).requires_grad_()
    t = c.input("t", [2, 5, 8])
    heads = c.input("heads", [2, 3, 5, 6])
    mha = c.module(nn.MultiheadAttention(8, 2, dropout=0.0, bias=True, batch_first=True))
    load_attention(c, mha, "y")
    y = mha(s, s, s, need_weights=False, attn_mask=torch.triu(torch.ones(5, 5, dtype=torch.bool), 1))[0]
    z = self_attention(c, "z", 8, 2, rope=True)(s)
    w = self_attention(c, "w", 8, 4, causal=True, rope=True, base=100.0)(s)
    c.output("q", rotary(heads, 6, 50.0))
    for name, value in (("y", y), ("z", z), ("w", w)):
        c.output(name, value)
    loss = F.mse_loss(y + z + w, t)
    c.set_loss(loss)
    c.record_gradients(loss, {"s": s, "y.out.weight": mha.out_proj.weight})


@case("nn_causal_decoder", "std.nn causal_decoder against nn.TransformerEncoderLayer(norm_first = True) under a causal mask (nn.TransformerDecoderLayer without cross-attention), and with RoPE by hand, with the loss's gradients",
      mode="training")
def nn_causal_decoder(c):
    """
import std.nn;

model M(B: batch) {
    input s: f32[B, 5, 8];
    input t: f32[B, 5, 8];
    output y = causal_decoder(8, 2, 16)(s);
    output z = causal_decoder(8, 2, 12, gelu, true)(s);
    loss mse(y + z, t);
}
"""
    s = c.input("s", [2, 5, 8]).requires_grad_()
    t = c.input("t", [2, 5, 8])
    m = c.module(nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, activation="relu", batch_first=True, norm_first=True))
    load_attention(c, m.self_attn, "y.residual_0.self_attention_0")
    for norm, scope in ((m.norm1, ".residual_0.layer_norm_0"), (m.norm2, ".residual_1.layer_norm_0")):
        c.set(norm.weight, "y" + scope + ".weight")
        c.set(norm.bias, "y" + scope + ".bias")
    for lin, scope in ((m.linear1, ".residual_1.ffn_0.linear_0"), (m.linear2, ".residual_1.ffn_0.linear_1")):
        c.set(lin.weight, "y" + scope + ".weight")
        c.set(lin.bias, "y" + scope + ".bias")
    y = m(s, src_mask=torch.triu(torch.ones(5, 5, dtype=torch.bool), 1))
    norm1 = layer_norm(c, "z.residual_0.layer_norm_0", 8)
    attention = self_attention(c, "z.residual_0.self_attention_0", 8, 2, causal=True, rope=True)
    norm2 = layer_norm(c, "z.residual_1.layer_norm_0", 8)
    feed = ffn(c, "z.residual_1.ffn_0", 8, 8, 12, "gelu")
    h = s + attention(norm1(s))
    z = h + feed(norm2(h))
    c.output("y", y)
    c.output("z", z)
    loss = F.mse_loss(y + z, t)
    c.set_loss(loss)
    c.record_gradients(loss, {"s": s, "y.residual_1.ffn_0.linear_0.weight": m.linear1.weight, "y.residual_1.layer_norm_0.weight": m.norm2.weight})


@case("nn_rnn_gru", "std.nn rnn and gru over 6 steps with shared weights against nn.RNN and nn.GRU (the same parameter tensors), with the loss's gradients",
      mode="training")
def nn_rnn_gru(c):
    """
import std.nn;

model M(B: batch) {
    input x: f32[B, 6, 3];
    input t: f32[B, 9];
    input g0: f32[B, 2];
    input r0: f32[B, 3];
    output g = gru(x, 5);
    output r = rnn(x, 4);
    let gih = share(linear(6));
    let ghh = share(linear(6));
    let rih = share(linear(3));
    let rhh = share(linear(3));
    output gs = gru_steps(x, g0, gih, ghh);
    output rs = rnn_steps(x, r0, rih, rhh, relu);
    loss mse(concat(g, r), t);
}
"""
    x = c.input("x", [2, 6, 3]).requires_grad_()
    t = c.input("t", [2, 9])
    g0 = c.input("g0", [2, 2])
    r0 = c.input("r0", [2, 3])
    gru = c.module(nn.GRU(3, 5, batch_first=True))
    rnn = c.module(nn.RNN(3, 4, batch_first=True))
    leaves = {"x": x}
    for module, name in ((gru, "g"), (rnn, "r")):
        for torch_name, ours in (("weight_ih_l0", "ih.weight"), ("bias_ih_l0", "ih.bias"), ("weight_hh_l0", "hh.weight"), ("bias_hh_l0", "hh.bias")):
            c.set(getattr(module, torch_name), f"{name}.{ours}")
            leaves[f"{name}.{ours}"] = getattr(module, torch_name)
    g = gru(x)[1][0]
    r = rnn(x)[1][0]
    # The steps from a given state: nn.GRU's and nn.RNN's h_0 (here with ReLU).
    gru_from = c.module(nn.GRU(3, 2, batch_first=True))
    rnn_from = c.module(nn.RNN(3, 3, nonlinearity="relu", batch_first=True))
    for module, prefix in ((gru_from, "g"), (rnn_from, "r")):
        for torch_name, ours in (("weight_ih_l0", "ih.weight"), ("bias_ih_l0", "ih.bias"), ("weight_hh_l0", "hh.weight"), ("bias_hh_l0", "hh.bias")):
            c.set(getattr(module, torch_name), prefix + ours)
    c.output("gs", gru_from(x, g0[None])[1][0])
    c.output("rs", rnn_from(x, r0[None])[1][0])
    c.output("g", g)
    c.output("r", r)
    loss = F.mse_loss(torch.cat([g, r], -1), t)
    c.set_loss(loss)
    c.record_gradients(loss, leaves)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for existing in os.listdir(OUT_DIR):
        if existing.endswith(".json"):
            os.remove(os.path.join(OUT_DIR, existing))
    names = set()
    for name, description, mode, batch, fill in CASES:
        assert name not in names, name
        names.add(name)
        c = Case(name, description, fill.__doc__, mode, batch)
        fill(c)
        c.write()
    print(f"wrote {len(CASES)} cases to {OUT_DIR}")


if __name__ == "__main__":
    main()
