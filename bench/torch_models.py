"""PyTorch equivalents of the benchmark's cases (catalog.py), float32 on the CPU.

The models are tests/golden/make_block_goldens.py's reference blocks, the ones the block goldens
check ModelC's results against; the losses and optimizers are those the .mdl files declare
(cross-entropy and AdamW for the MLP, MSE and Adam for Macaron, relative L2 and Adam with a
one-cycle schedule for MgNO). A GEMM case is numpy's matmul, for numpy/OpenBLAS GFLOP/s."""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "golden"))
import make_block_goldens as ref  # noqa: E402

# The reference module makes float64 the default; the benchmark runs float32.
torch.set_default_dtype(torch.float32)


class Equivalent:
    """A case's runs on fixed random inputs: `forward()` (inference mode) and `train_step()`
    (forward, loss, backward, optimizer step and schedule step), and its parameter count."""

    def __init__(self, modules, forward, inputs, loss, optimizer, schedule=None):
        for m in modules:
            m.float()
        self.parameters = list({id(p): p for m in modules for p in m.parameters()}.values())
        self._forward, self._inputs, self._loss = forward, inputs, loss
        self._optimizer = optimizer(self.parameters) if self.parameters else None
        self._schedule = schedule(self._optimizer) if schedule else None

    @property
    def parameter_count(self):
        return sum(p.numel() for p in self.parameters)

    def forward(self):
        with torch.inference_mode():
            self._forward(self._inputs)

    def train_step(self):
        self._optimizer.zero_grad(set_to_none=True)
        loss = self._loss(self._forward(self._inputs), self._inputs)
        loss.backward()
        self._optimizer.step()
        if self._schedule:
            self._schedule.step()
        return loss.detach()


class MatMul:
    """numpy's c = a @ b into a preallocated c: the BLAS SGEMM and nothing else."""

    def __init__(self, m, k, n, seed):
        random = np.random.default_rng(seed)
        self._a = random.random((m, k), dtype=np.float32)
        self._b = random.random((k, n), dtype=np.float32)
        self._c = np.empty((m, n), dtype=np.float32)
        self.parameter_count = 0

    def forward(self):
        np.matmul(self._a, self._b, out=self._c)

    def train_step(self):
        raise ValueError("a GEMM has no train step")


def _case():
    return ref.Case("bench", "", "", "training", 1)


def _uniform(generator, *shape):
    return torch.rand(*shape, generator=generator) * 2 - 1


def mlp(generator, batch, inputs, hidden, classes):
    c = _case()
    widths = [inputs, hidden, hidden, classes]
    layers = [ref.linear(c, f"l{i}", a, b) for i, (a, b) in enumerate(zip(widths, widths[1:]))]
    data = {"x": _uniform(generator, batch, inputs), "y": torch.randint(classes, (batch,), generator=generator)}
    return Equivalent(
        c.modules, lambda d: layers[2](torch.relu(layers[1](torch.relu(layers[0](d["x"]))))), data,
        lambda logits, d: F.cross_entropy(logits, d["y"]),
        lambda p: torch.optim.AdamW(p, lr=1e-3, weight_decay=0.01))


def macaron(generator, batch, S, d, heads, ff, layers):
    c = _case()
    blocks = [ref.macaron(c, f"y.macaron_{i}", d, heads, ff, "relu") for i in range(layers)]
    final = ref.layer_norm(c, "y.layer_norm_0", d)

    def forward(data):
        x = data["x"]
        for block in blocks:
            x = block(x)
        return final(x)
    data = {"x": _uniform(generator, batch, S, d), "target": _uniform(generator, batch, S, d)}
    return Equivalent(c.modules, forward, data, lambda y, d: F.mse_loss(y, d["target"]), lambda p: torch.optim.Adam(p, lr=1e-4))


def rel_l2(prediction, target):
    """ModelC's rel_l2: ‖p − t‖ / ‖t‖ per sample over all but the batch dimension, averaged over the batch."""
    difference = (prediction - target).flatten(1).norm(dim=1)
    return (difference / target.flatten(1).norm(dim=1)).mean()


def mgno(generator, batch, n, c, layers, nu):
    case = _case()
    forward = ref.mgno(case, "prediction", 1, c, layers, nu, 1, "zeros")
    data = {"f": _uniform(generator, batch, 1, n, n), "u": _uniform(generator, batch, 1, n, n)}
    return Equivalent(
        case.modules, lambda d: forward(d["f"]), data, lambda p, d: rel_l2(p, d["u"]),
        lambda p: torch.optim.Adam(p, lr=1e-3),
        # ModelC's one_cycle: torch's defaults (30% warm-up, div 25, final div 1e4), momentum not cycled.
        lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=1e-3, total_steps=1_000_000, cycle_momentum=False))


def build(family, sizes, batch, seed=0):
    """The equivalent of a case: `family` and `sizes` as in catalog.Case."""
    if family == "gemm":
        return MatMul(sizes["m"], sizes["k"], sizes["n"], seed)
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    builders = {"mlp": mlp, "macaron": macaron, "mgno": mgno}
    return builders[family](generator, batch, **sizes)
