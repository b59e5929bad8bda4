#!/usr/bin/python3
"""Golden training curves: 20 optimizer steps of the three reference models (MLP, Macaron, MgNO
Poisson), computed by PyTorch in float64, for a C# test that runs ModelC's compiled float32
training under the same protocol and compares each step's loss within 1e-4 relative.

Writes tests/golden/training/<case>.json. Run with Debian's python (torch 1.13, CPU):

    /usr/bin/python3 tests/golden/make_training_goldens.py              # every case
    /usr/bin/python3 tests/golden/make_training_goldens.py --case mlp   # one case
    /usr/bin/python3 tests/golden/make_training_goldens.py \\
        --modelc "dotnet compiler/ModelC.Cli/bin/Debug/net10.0/modelc.dll"   # also check the names

The models are built from tests/golden/make_block_goldens.py's independent reference blocks
(linear, macaron, layer_norm, mgno), which assign every parameter under its ModelC parameter name
from that module's deterministic generator (FNV-1a 64 seed of the name, SplitMix64 stream; see its
docstring, implemented identically in tests/ModelC.Compiler.Tests/Blocks/GoldenValues.cs). With
--modelc the recorded parameter list is compared with the `param[...]`/`state[...]` leaves that
`modelc ir FILE --mode train` prints.

Protocol (the C# side reimplements it exactly):

  cases     mlp      examples/mlp/mlp.mdl          batch B = 64
            macaron  examples/macaron/macaron.mdl  batch B = 8
            poisson  examples/mgno/poisson.mdl     batch B = 4
            (every other model parameter at its default: classes = 10, S = 64, n = 64, bc = zeros)

  initial parameters (and states; these models have none):
            every trainable parameter `name` of shape `shape` is parameter_value(name, shape):
            uniform(name, prod(shape), low, high) in row-major order, the range by the last name
            segment: weight of rank >= 2 U(-b, b) with b = 1/sqrt(prod(shape[1:])); weight of
            rank 1 (LayerNorm scales) U(0.9, 1.1); bias U(-0.1, 0.1).

  data of step k (k = 0 .. 19): every model input `name` is drawn from the generator with the seed
            name  f"input:{name}@{k}"  (e.g. "input:x@0", "input:target@19"), shape including the
            batch, row-major:
              f32 inputs  uniform("input:{name}@{k}", count, -1.0, 1.0)
              i32 labels  integers("input:{name}@{k}", count, 0, classes)  (mlp's y, classes = 10)
            mlp: x f32[64, 784], y i32[64]; macaron: x, target f32[8, 64, 256];
            poisson: f, u f32[4, 1, 64, 64].

  loss      as each .mdl declares it:
              mlp      cross_entropy(logits, y): mean over the batch of -log_softmax(logits)[y]
                       (F.cross_entropy, reduction mean)
              macaron  mse(y, target): mean over every element of (y - target)^2 (F.mse_loss)
              poisson  rel_l2(prediction, u): per sample ||p - u||_2 / ||u||_2 over every
                       dimension but the batch, averaged over the batch (no epsilon)

  optimizer exactly the declared one, with torch.optim (foreach = False), over every parameter
            (weight decay applies to all of them, biases and norm scales included):
              mlp      adamw(lr = 1e-3, weight_decay = 0.01)
                       -> AdamW(lr = 1e-3, betas = (0.9, 0.999), eps = 1e-8, weight_decay = 0.01)
                       (decoupled: p -= lr*wd*p before the Adam update)
              macaron  adam(lr = 1e-4) -> Adam(lr = 1e-4, betas = (0.9, 0.999), eps = 1e-8, weight_decay = 0)
              poisson  adam(lr = 1e-3, schedule = one_cycle)
                       -> Adam(lr = 1e-3, betas = (0.9, 0.999), eps = 1e-8, weight_decay = 0) with
                       OneCycleLR(max_lr = 1e-3, total_steps = 20, pct_start = 0.3, div_factor = 25,
                       final_div_factor = 1e4, anneal_strategy = 'cos', cycle_momentum = False,
                       three_phase = False): step t's lr is a cosine ramp from max_lr/25 (t = 0) up to
                       max_lr (t = 5 = 0.3*20 - 1), then a cosine ramp down to
                       max_lr/25/1e4 = 4e-9 (t = 19); lr(t) = end + (start - end)/2*(1 + cos(pi*frac))
                       with frac = t/5 in the first phase, (t - 5)/14 in the second.
            torch's Adam (both): step t = 1, 2, ...; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
            p -= lr/(1 - b1^t) * m / (sqrt(v)/sqrt(1 - b2^t) + eps).

  each step k = 0 .. 19:
            zero_grad; forward on step k's data; loss; record loss.item() (the loss BEFORE this
            step's update) and the lr this step's update uses; backward; optimizer.step();
            scheduler.step() (poisson).

Everything in float64 (torch.set_default_dtype(torch.float64)); no NaN or infinity is accepted.

File format (floats written with repr, round-trip exact):
    name, description, model (path of the .mdl from the repository root), model_name, mode
    ("training"), batch, steps (20), optimizer (text), schedule (text),
    inputs:     [{name, dtype: f32|i32, shape, low, high, seed}]   seed is the pattern "input:x@{k}"
    parameters: [{name, shape}]   every trainable parameter, sorted by name (ordinal)
    states:     [{name, shape}]   every state, sorted (empty for these models)
    losses:     [20 floats]       loss at step k, before step k's update
    lrs:        [20 floats]       learning rate of step k's update
    final:      [{name, shape, sum, sum_of_squares}]   3 chosen parameters after the 20 steps

Notes for the comparison (measured with --float32 and by perturbing the protocol, torch 1.13):
  - torch in float32 stays within 2e-7 relative of these losses, and within 6e-7 of the final
    sums of squares, so 1e-4 leaves room for a different reduction order.
  - The data are fresh random draws each step (random labels, random targets), so the curves are
    nearly flat; they still depend on the updates: with lr = 0 the losses move by up to 1.8e-2
    (mlp), 9.5e-2 (macaron), 3.1e-3 (poisson) relative; poisson without its schedule by 1.4e-3.
  - mlp's decoupled weight decay moves the losses by only 7e-5 relative (under 1e-4), but the
    final sums of squares by 4e-4: check `final` (sum_of_squares, relative ~1e-5, accumulated in
    double) to cover it.
  - `sum` can cancel: logits.linear_0.weight sums to ~2.2 over 401,408 elements and float32 torch
    is 3.8e-4 off relative; compare sums with an absolute tolerance, not 1e-4 relative.
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT_DIR = os.path.join(HERE, "training")
sys.path.insert(0, HERE)
import make_block_goldens as ref  # noqa: E402

F64 = torch.float64
torch.set_default_dtype(F64)

STEPS = 20


# The three reference models ----------------------------------------------------------------------
# Each builder takes a make_block_goldens Case (which collects the ModelC parameter names and
# shapes it assigns) and returns forward(inputs) -> the model's output.

def mlp(c):
    """examples/mlp/mlp.mdl: mlp([512, 512, classes])(x) under the output `logits`: std.nn's mlp
    recurses, so its layers are logits.linear_0, logits.mlp_0.linear_0, logits.mlp_0.mlp_0.linear_0."""
    first = ref.linear(c, "logits.linear_0", 784, 512)
    second = ref.linear(c, "logits.mlp_0.linear_0", 512, 512)
    third = ref.linear(c, "logits.mlp_0.mlp_0.linear_0", 512, 10)
    return lambda d: third(F.relu(second(F.relu(first(d["x"])))))


def macaron(c):
    """examples/macaron/macaron.mdl: macaron_stack(2, 256, 4, 512)(x) under the output `y`."""
    layers = [ref.macaron(c, f"y.macaron_{i}", 256, 4, 512, "relu") for i in range(2)]
    final = ref.layer_norm(c, "y.layer_norm_0", 256)
    return lambda d: final(layers[1](layers[0](d["x"])))


def poisson(c):
    """examples/mgno/poisson.mdl: mgno(16, 3, [1, 1, 1, 2], bc = zeros)(f) under `prediction`."""
    net = ref.mgno(c, "prediction", 1, 16, 3, [1, 1, 1, 2], 1, "zeros")
    return lambda d: net(d["f"])


def rel_l2(p, t):
    """Independent of ModelC's lowering: per-sample relative L2 error, averaged over the batch."""
    num = torch.sqrt(((p - t) ** 2).reshape(p.shape[0], -1).sum(dim=1))
    den = torch.sqrt((t ** 2).reshape(t.shape[0], -1).sum(dim=1))
    return (num / den).mean()


ADAM = dict(betas=(0.9, 0.999), eps=1e-8, foreach=False)

ONE_CYCLE = dict(max_lr=1e-3, total_steps=STEPS, pct_start=0.3, div_factor=25.0, final_div_factor=1e4,
                 anneal_strategy="cos", cycle_momentum=False, three_phase=False)

CASES = {
    "mlp": dict(
        description="MLP 784-512-512-10 (ReLU), cross-entropy, AdamW(lr 1e-3, wd 0.01), 20 steps",
        model="examples/mlp/mlp.mdl", model_name="Mlp", batch=64, build=mlp,
        inputs=[("x", "f32", [784], -1.0, 1.0), ("y", "i32", [], 0, 10)],
        loss=lambda out, d: F.cross_entropy(out, d["y"]),
        optimizer=lambda ps: torch.optim.AdamW(ps, lr=1e-3, weight_decay=0.01, **ADAM),
        optimizer_text="adamw(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.01, clip = 0.0)",
        schedule=None, schedule_text="constant",
        final=["logits.linear_0.weight", "logits.mlp_0.linear_0.bias", "logits.mlp_0.mlp_0.linear_0.weight"]),
    "macaron": dict(
        description="Macaron 2 x (d 256, 4 heads, FFN 512) + LayerNorm over 64 tokens, mse, Adam(lr 1e-4), 20 steps",
        model="examples/macaron/macaron.mdl", model_name="Macaron", batch=8, build=macaron,
        inputs=[("x", "f32", [64, 256], -1.0, 1.0), ("target", "f32", [64, 256], -1.0, 1.0)],
        loss=lambda out, d: F.mse_loss(out, d["target"]),
        optimizer=lambda ps: torch.optim.Adam(ps, lr=1e-4, weight_decay=0.0, **ADAM),
        optimizer_text="adam(lr = 0.0001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.0, clip = 0.0)",
        schedule=None, schedule_text="constant",
        final=["y.macaron_0.residual_0.ffn_0.linear_0.weight", "y.macaron_1.residual_1.mhsa_0.out.weight",
               "y.layer_norm_0.weight"]),
    "poisson": dict(
        description="MgNO Poisson: 3 layers, 16 channels, nu = 1,1,1,2, 64x64, zeros bc, rel_l2, "
                    "Adam(lr 1e-3) with one_cycle over 20 steps",
        model="examples/mgno/poisson.mdl", model_name="Poisson", batch=4, build=poisson,
        inputs=[("f", "f32", [1, 64, 64], -1.0, 1.0), ("u", "f32", [1, 64, 64], -1.0, 1.0)],
        loss=lambda out, d: rel_l2(out, d["u"]),
        optimizer=lambda ps: torch.optim.Adam(ps, lr=1e-3, weight_decay=0.0, **ADAM),
        optimizer_text="adam(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.0, clip = 0.0)",
        schedule=lambda opt: torch.optim.lr_scheduler.OneCycleLR(opt, **ONE_CYCLE),
        schedule_text="one_cycle(pct_start = 0.3, div_factor = 25.0, final_div_factor = 10000.0) over 20 steps: "
                      "torch OneCycleLR(max_lr = 0.001, total_steps = 20, anneal_strategy = 'cos', "
                      "cycle_momentum = False, three_phase = False)",
        final=["prediction.mgno_layer_0.vcycle_0.u.conv_0.weight",
               "prediction.mgno_layer_1.vcycle_0.cycle_0.prolongation_0.conv_transpose_0.weight",
               "prediction.conv_0.weight"]),
}


# The protocol ----------------------------------------------------------------------------------

class TrackingCase(ref.Case):
    """A make_block_goldens Case that also remembers which torch tensor holds each ModelC parameter
    assigned through set() (for the final sums)."""

    def __init__(self, *args):
        super().__init__(*args)
        self.targets = {}

    def set(self, target, name):
        super().set(target, name)
        self.targets[name] = target


def step_inputs(spec, batch, k, dtype):
    data = {}
    for name, kind, shape, low, high in spec:
        shape = [batch, *shape]
        count = math.prod(shape)
        seed = f"input:{name}@{k}"
        if kind == "f32":
            data[name] = torch.from_numpy(ref.uniform(seed, count, low, high)).reshape(shape).to(dtype)
        else:
            data[name] = torch.from_numpy(ref.integers(seed, count, low, high)).reshape(shape)
    return data


def finite(value, what):
    value = float(value)
    assert math.isfinite(value), f"{what} is not finite: {value}"
    return value


def train(key, dtype=F64):
    """Runs the protocol; returns the record to write."""
    spec = CASES[key]
    c = TrackingCase(key, spec["description"], "", "training", spec["batch"])
    forward = spec["build"](c)
    params, seen = [], set()
    for m in c.modules:
        m.to(dtype)
        for p in m.parameters():
            if id(p) not in seen:
                seen.add(id(p))
                params.append(p)
            assert not torch.isnan(p).any(), f"{key}: a parameter of {type(m).__name__} is unassigned"
    assert sum(p.numel() for p in params) == sum(math.prod(s) for s in c.parameters.values()), \
        f"{key}: torch's parameters and the assigned ModelC parameters differ in size"
    assert not c.states, "these models have no states"

    optimizer = spec["optimizer"](params)
    scheduler = spec["schedule"](optimizer) if spec["schedule"] else None
    losses, lrs = [], []
    for k in range(STEPS):
        data = step_inputs(spec["inputs"], spec["batch"], k, dtype)
        optimizer.zero_grad(set_to_none=True)
        loss = spec["loss"](forward(data), data)
        assert loss.dim() == 0 and loss.dtype == dtype
        losses.append(finite(loss.item(), f"{key}: loss at step {k}"))
        lrs.append(finite(optimizer.param_groups[0]["lr"], f"{key}: lr at step {k}"))
        loss.backward()
        for p in params:
            assert p.grad is not None and torch.isfinite(p.grad).all(), f"{key}: gradient at step {k}"
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
    for p in params:
        assert torch.isfinite(p).all(), f"{key}: a parameter is not finite after training"

    final = []
    for name in spec["final"]:
        t = c.targets[name].detach()
        assert tuple(t.shape) == c.parameters[name]
        final.append({"name": name, "shape": list(t.shape), "sum": finite(t.sum(), name),
                      "sum_of_squares": finite((t * t).sum(), name)})
    return {
        "name": key,
        "description": spec["description"],
        "model": spec["model"],
        "model_name": spec["model_name"],
        "mode": "training",
        "batch": spec["batch"],
        "steps": STEPS,
        "optimizer": spec["optimizer_text"],
        "schedule": spec["schedule_text"],
        "inputs": [{"name": n, "dtype": kind, "shape": [spec["batch"], *shape], "low": low, "high": high,
                    "seed": f"input:{n}@{{k}}"} for n, kind, shape, low, high in spec["inputs"]],
        "parameters": [{"name": n, "shape": list(s)} for n, s in sorted(c.parameters.items())],
        "states": [{"name": n, "shape": list(s)} for n, s in sorted(c.states.items())],
        "losses": losses,
        "lrs": lrs,
        "final": final,
    }


def write(record):
    lines = ["{"]
    keys = list(record)
    for i, key in enumerate(keys):
        value = record[key]
        end = "," if i + 1 < len(keys) else ""
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"  {json.dumps(key)}: [")
            for j, item in enumerate(value):
                lines.append("    " + json.dumps(item) + ("," if j + 1 < len(value) else ""))
            lines.append("  ]" + end)
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value)}{end}")   # floats: repr
    lines.append("}")
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, record["name"] + ".json")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


# Optional checks -------------------------------------------------------------------------------

LEAF = re.compile(r"= (param|state)\[([^,\]]+)[,\]].*: f32\[([0-9,]*)\]")


def check_names(record, modelc):
    """Compares the recorded parameters and states with `modelc ir FILE --mode train --after elaborated`
    (the training graph before the train step adds the optimizer's states)."""
    out = subprocess.run([*modelc.split(), "ir", os.path.join(ROOT, record["model"]), "--mode", "train", "--after", "elaborated"],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    found = {"param": {}, "state": {}}
    for kind, name, dims in LEAF.findall(out):
        found[kind][name] = [int(d) for d in dims.split(",")] if dims else []
    for kind, key in (("param", "parameters"), ("state", "states")):
        ours = {p["name"]: p["shape"] for p in record[key]}
        theirs = found[kind]
        missing, extra = sorted(set(theirs) - set(ours)), sorted(set(ours) - set(theirs))
        wrong = sorted(n for n in set(ours) & set(theirs) if ours[n] != theirs[n])
        assert not (missing or extra or wrong), \
            f"{record['name']} {key}: only in modelc {missing}, only here {extra}, shapes differ {wrong}"
    print(f"  names: {len(record['parameters'])} parameters and {len(record['states'])} states match modelc ir")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", choices=sorted(CASES), action="append",
                        help="only this case (repeatable; default: every case)")
    parser.add_argument("--modelc", help="command running modelc (e.g. 'dotnet .../modelc.dll'): also check the "
                                         "parameter names and shapes against `modelc ir --mode train`")
    parser.add_argument("--float32", action="store_true",
                        help="also run the protocol in float32 and print its largest relative loss deviation "
                             "from float64 (a diagnostic; nothing written)")
    args = parser.parse_args()
    for key in args.case or list(CASES):
        start = time.perf_counter()
        record = train(key)
        path = write(record)
        print(f"{key}: wrote {os.path.relpath(path, ROOT)} in {time.perf_counter() - start:.1f} s; "
              f"loss {record['losses'][0]!r} -> {record['losses'][-1]!r}")
        if args.modelc:
            check_names(record, args.modelc)
        if args.float32:
            start = time.perf_counter()
            single = train(key, torch.float32)
            deviation = max(abs(a - b) / abs(b) for a, b in zip(single["losses"], record["losses"]))
            print(f"  float32: largest relative loss deviation {deviation:.3g} ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
