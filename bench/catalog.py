"""The benchmark's cases: the three reference models (the examples themselves), other shapes of
each family (bench/models/*.mdl, sized with -D), and the GEMM shapes. Plain data without torch,
so that the driver runs where PyTorch is missing."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    """One model at one shape.

    name     short id, for --only and the JSON
    family   mlp | macaron | mgno | gemm: which PyTorch equivalent (torch_models.py) it has
    title    what the tables print
    source   the .mdl file, relative to the repository, and `model` the model in it
    batch    the value of the batch symbol
    sizes    every size of the PyTorch equivalent
    defines  the -D settings that give the .mdl those sizes
    labels   integer inputs and their number of classes (values are drawn in [0, classes))
    modes    forward and/or train
    """
    name: str
    family: str
    title: str
    source: str
    model: str
    batch: int
    sizes: dict
    defines: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    modes: tuple = ("forward", "train")


def matmul_flops(case, mode):
    """The FLOPs of a step's matrix products (an FMA is two), or None for a family not counted
    (MgNO: its convolutions). The train step adds each product's two gradients, less the data
    gradient of the first product, whose input needs none. Elementwise work, reductions and the
    optimizer are left out: the count gives a floor on the time, not an estimate of it."""
    s = case.sizes
    if case.family == "gemm":
        return 2 * s["m"] * s["k"] * s["n"]
    if case.family == "mlp":
        first = s["inputs"] * s["hidden"]
        forward = 2 * case.batch * (first + s["hidden"] * s["hidden"] + s["hidden"] * s["classes"])
        return forward if mode == "forward" else 3 * forward - 2 * case.batch * first
    if case.family == "macaron":
        tokens = case.batch * s["S"]
        # Per token and layer: two FFNs (d → ff → d), the q, k, v and out projections, the scores and their mix.
        per_token = 2 * (2 * s["d"] * s["ff"]) + 4 * s["d"] * s["d"] + 2 * s["S"] * s["d"]
        forward = 2 * tokens * s["layers"] * per_token
        return forward if mode == "forward" else 3 * forward - 2 * tokens * s["d"] * s["ff"]
    return None


def mlp(name, title, batch, reference=False, **sizes):
    sizes = {"inputs": 784, "hidden": 512, "classes": 10, **sizes}
    source, defines = ("examples/mlp/mlp.mdl", {}) if reference else ("bench/models/mlp.mdl", sizes)
    return Case(name, "mlp", title, source, "Mlp", batch, sizes, defines, {"y": sizes["classes"]})


def macaron(name, title, batch, reference=False, **sizes):
    sizes = {"S": 64, "d": 256, "heads": 4, "ff": 512, "layers": 2, **sizes}
    source, defines = ("examples/macaron/macaron.mdl", {}) if reference else ("bench/models/macaron.mdl", sizes)
    return Case(name, "macaron", title, source, "Macaron", batch, sizes, defines)


def mgno(name, title, batch, reference=False, **sizes):
    """bench/models/mgno.mdl has a model per number of levels: Mgno (nu = 1,1,1,2) and Mgno5 (1,1,1,1,2)."""
    sizes = {"n": 64, "c": 16, "layers": 3, "nu": [1, 1, 1, 2], **sizes}
    defines = {k: v for k, v in sizes.items() if k != "nu"}
    if reference:
        return Case(name, "mgno", title, "examples/mgno/poisson.mdl", "Poisson", batch, sizes)
    model = "Mgno" if len(sizes["nu"]) == 4 else f"Mgno{len(sizes['nu'])}"
    return Case(name, "mgno", title, "bench/models/mgno.mdl", model, batch, sizes, defines)


def gemm(m, k, n):
    sizes = {"m": m, "k": k, "n": n}
    return Case(f"gemm-{m}x{k}x{n}", "gemm", f"GEMM {m}x{k}x{n} (M x K x N)", "bench/matmul.mdl", "MatMul", 1,
                sizes, sizes, modes=("forward",))


MODELS = [
    mlp("mlp-ref", "MLP 784-512-512-10 b128 (reference)", 128, reference=True),
    mlp("mlp-b1", "MLP 784-512-512-10 b1", 1),
    mlp("mlp-b1024", "MLP 784-512-512-10 b1024", 1024),
    mlp("mlp-wide", "MLP 784-2048-2048-10 b128", 128, hidden=2048),
    mlp("mlp-narrow", "MLP 784-128-128-10 b128", 128, hidden=128),
    macaron("macaron-ref", "Macaron 2x(d256 h4 ff512) s64 b16 (reference)", 16, reference=True),
    macaron("macaron-b1", "Macaron 2x(d256 h4 ff512) s64 b1", 1),
    macaron("macaron-b64", "Macaron 2x(d256 h4 ff512) s64 b64", 64),
    macaron("macaron-wide", "Macaron 2x(d512 h8 ff2048) s64 b16", 16, d=512, heads=8, ff=2048),
    macaron("macaron-narrow", "Macaron 2x(d128 h2 ff256) s64 b16", 16, d=128, heads=2, ff=256),
    mgno("mgno-ref", "MgNO 3x c16 nu=1,1,1,2 64x64 b8 (reference)", 8, reference=True),
    mgno("mgno-b1", "MgNO 3x c16 nu=1,1,1,2 64x64 b1", 1),
    mgno("mgno-b32", "MgNO 3x c16 nu=1,1,1,2 64x64 b32", 32),
    mgno("mgno-wide", "MgNO 3x c32 nu=1,1,1,2 64x64 b8", 8, c=32),
    mgno("mgno-narrow", "MgNO 3x c8 nu=1,1,1,2 64x64 b8", 8, c=8),
    mgno("mgno-grid", "MgNO 3x c24 nu=1,1,1,1,2 128x128 b4", 4, n=128, c=24, nu=[1, 1, 1, 1, 2]),
]

GEMMS = [gemm(1024, 1024, 1024), gemm(4096, 4096, 64), gemm(64, 4096, 4096), gemm(4096, 64, 4096)]

# The smoke run (--smoke): a small model and a small GEMM, in seconds, to keep the scripts working.
SMOKE = [
    mlp("mlp-smoke", "MLP 64-32-32-10 b8 (smoke)", 8, inputs=64, hidden=32),
    gemm(64, 64, 64),
]
