#!/usr/bin/python3
"""Forward-pass times of ModelC against PyTorch (CPU, float32), side by side, and GEMM GFLOP/s
against numpy's BLAS. Run through bench/run.sh, which builds modelc in Release first.

ModelC's times come from `modelc run FILE --batch B --repeat R` (JIT-compiled kernels, mean of R
runs after one warm-up); PyTorch's from the same number of runs of an equivalent module under
torch.no_grad(), built with tests/golden/make_block_goldens.py's reference blocks (the ones the
block goldens check ModelC against), converted to float32. Both use the same thread count.
"""
import argparse
import os
import re
import subprocess
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "golden"))
import make_block_goldens as ref  # noqa: E402

# The reference module sets float64 as the default; benchmarks run in float32.
torch.set_default_dtype(torch.float32)


def modelc_ms(modelc, path, batch, repeat, threads, defines=()):
    args = [*modelc, "run", os.path.join(ROOT, path), "--batch", str(batch), "--repeat", str(repeat), "--threads", str(threads)]
    for d in defines:
        args += ["-D", d]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    mean = re.search(r"forward: ([0-9.]+) ms mean, ([0-9.]+) ms min", out)
    return float(mean.group(1)), float(mean.group(2))


def torch_ms(forward, inputs, repeat):
    with torch.no_grad():
        forward(*inputs)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            forward(*inputs)
            times.append((time.perf_counter() - start) * 1000)
    return sum(times) / len(times), min(times)


def reference(builder):
    c = ref.Case("bench", "", "", "inference", 1)
    forward = builder(c)
    for m in c.modules:
        m.float()
    return forward


def mlp(c):
    layers = [ref.linear(c, f"l{i}", a, b) for i, (a, b) in enumerate([(784, 512), (512, 512), (512, 10)])]
    return lambda x: layers[2](torch.relu(layers[1](torch.relu(layers[0](x)))))


def macaron(c):
    layers = [ref.macaron(c, f"y.macaron_{i}", 256, 4, 512, "relu") for i in range(2)]
    final = ref.layer_norm(c, "y.layer_norm_0", 256)
    return lambda x: final(layers[1](layers[0](x)))


def mgno(c):
    return ref.mgno(c, "prediction", 1, 16, 3, [1, 1, 1, 2], 1, "zeros")


MODELS = [
    ("MLP 784-512-512-10", "examples/mlp/mlp.mdl", 128, mlp, (128, 784)),
    ("Macaron 2x(d=256, 4 heads, FFN 512), seq 64", "examples/macaron/macaron.mdl", 16, macaron, (16, 64, 256)),
    ("MgNO 3 layers, 16 ch, nu=1,1,1,2, 64x64", "examples/mgno/poisson.mdl", 8, mgno, (8, 1, 64, 64)),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modelc", default="dotnet " + os.path.join(ROOT, "compiler/ModelC.Cli/bin/Release/net10.0/modelc.dll"))
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    modelc = args.modelc.split()
    torch.set_num_threads(args.threads)
    print(f"threads: {args.threads}, runs: {args.repeat} (mean / min, ms); torch {torch.__version__}, numpy {np.__version__}")
    print(f"{'model':48} {'batch':>5} {'ModelC':>17} {'PyTorch':>17} {'speed-up':>9}")
    for title, path, batch, builder, shape in MODELS:
        ours = modelc_ms(modelc, path, batch, args.repeat, args.threads)
        theirs = torch_ms(reference(builder), [torch.rand(shape) * 2 - 1], args.repeat)
        print(f"{title:48} {batch:>5} {ours[0]:8.2f} /{ours[1]:7.2f} {theirs[0]:8.2f} /{theirs[1]:7.2f} {theirs[0] / ours[0]:8.2f}x")

    print(f"\n{'GEMM n x n x n':48} {'':>5} {'ModelC GFLOP/s':>17} {'numpy GFLOP/s':>17}")
    for n in (512, 1024):
        flops = 2.0 * n ** 3
        ours = modelc_ms(modelc, "bench/matmul.mdl", 1, args.repeat, args.threads, [f"n={n}"])
        a, b = np.random.rand(n, n).astype(np.float32), np.random.rand(n, n).astype(np.float32)
        theirs = torch_ms(lambda: a @ b, [], args.repeat)
        print(f"{f'n = {n}':48} {'':>5} {flops / ours[1] / 1e6:17.1f} {flops / theirs[1] / 1e6:17.1f}")


if __name__ == "__main__":
    main()
