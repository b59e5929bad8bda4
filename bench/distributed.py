"""Data-parallel training on MPI: step time and allreduce share for N = 1, 2 ranks on this machine,
and the step time on N hosts extrapolated from the measured bandwidth and the gradient's size.

Runs `modelc train` (Release) on the three reference configurations (bench/README.md), one rank of
one thread, one rank of two threads, and `mpirun -np 2` ranks of one thread each, with the same
global batch. Step time: the training epoch's seconds (metrics.json) over its steps; allreduce:
what rank 0 reports (`data-parallel over ...: allreduce took S s in all, W s of it not overlapped
...`): S is its communication thread's time in the bucket allreduces, waiting for the other rank
included, much of it while the backward kernels ran; W is what the steps waited for the sums after
their gradients were computed, the part the overlap did not hide. Wall-clock figures: on a loaded
machine they measure time slices as much as work. The bandwidth the extrapolation uses is measured apart (allreduce_bandwidth.c, built with
mpicc): an allreduce of the model's gradient, both ranks starting together. Usage: bash bench/distributed.sh [--steps 30] [--only mlp|macaron|mgno] [--bucket-bytes N] [--json FILE]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELC = os.path.join(ROOT, "compiler/ModelC.Cli/bin/Release/net10.0/modelc.dll")
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe", "--bind-to", "none"]

# name, source, global batch, data maker (folder, samples) -> --data argument
def mlp_data(folder, samples):
    r = np.random.default_rng(0)
    path = os.path.join(folder, "mlp.npz")
    np.savez(path, x=r.standard_normal((samples, 784), dtype=np.float32), y=r.integers(0, 10, samples, dtype=np.int32))
    return path


def macaron_data(folder, samples):
    r = np.random.default_rng(0)
    path = os.path.join(folder, "macaron.npz")
    shape = (samples, 64, 256)
    np.savez(path, x=r.standard_normal(shape, dtype=np.float32), target=r.standard_normal(shape, dtype=np.float32))
    return path


MODELS = [
    ("mlp", "examples/mlp/mlp.mdl", 128, mlp_data),
    ("macaron", "examples/macaron/macaron.mdl", 16, macaron_data),
    ("mgno", "examples/mgno/poisson.mdl", 8, lambda folder, samples: "poisson:n=64"),
]

# Links a multi-host job may run over, in bytes per second, besides the measured one.
LINKS = [("10 GbE", 1.25e9), ("100 Gb/s", 12.5e9)]


def train(ranks, threads, source, data, batch, steps, folder, bucket_bytes):
    output = tempfile.mkdtemp(dir=folder)
    command = ["dotnet", MODELC, "train", os.path.join(ROOT, source), "--data", data, "--samples", str(steps * batch),
               "--validation", "0", "--batch", str(batch), "--epochs", "1", "--threads", str(threads), "-o", output]
    if bucket_bytes:
        command += ["--bucket-bytes", str(bucket_bytes)]
    if ranks:
        command = MPIRUN + ["-np", str(ranks)] + command
    run = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, TERM="dumb"))
    if run.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{run.stdout}\n{run.stderr}")
    parameters = int(re.search(r"; ([\d,]+) parameters", run.stdout).group(1).replace(",", ""))
    reduce = re.search(r"(\d+) gradient buckets: allreduce took ([\d.]+) s in all, ([\d.]+) s of it not overlapped", run.stdout)
    with open(os.path.join(output, "metrics.json")) as f:
        seconds = json.load(f)["epochs"][0]["seconds"]
    return {"step_ms": 1e3 * seconds / steps, "buckets": int(reduce.group(1)) if reduce else 0,
            "allreduce_ms": 1e3 * float(reduce.group(2)) / steps if reduce else 0.0,
            "waited_ms": 1e3 * float(reduce.group(3)) / steps if reduce else 0.0, "parameters": parameters}


def measure_bandwidth(folder, count):
    """Bytes per second of a 2-rank allreduce of `count` floats (each rank sends and receives the gradient once)."""
    program = os.path.join(folder, "allreduce_bandwidth")
    if not os.path.exists(program):
        subprocess.run(["mpicc", "-O2", "-o", program, os.path.join(ROOT, "bench/allreduce_bandwidth.c")], check=True)
    run = subprocess.run(MPIRUN + ["-np", "2", program, str(count), "30"], capture_output=True, text=True, check=True)
    seconds = float(run.stdout.split()[1])
    return 4 * count / seconds, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=30, help="steps per run (one epoch)")
    parser.add_argument("--only", default="", help="a regular expression of the models to run")
    parser.add_argument("--bucket-bytes", type=int, default=0, help="the gradient bucket size of the 2-rank runs (default: modelc's)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, source, batch, make in MODELS:
            if not re.search(args.only, name):
                continue
            data = make(folder, args.steps * batch)
            runs = {"N=1, 1 thread": train(0, 1, source, data, batch, args.steps, folder, 0),
                    "N=1, 2 threads": train(0, 2, source, data, batch, args.steps, folder, 0),
                    "N=2, 1 thread each": train(2, 1, source, data, batch, args.steps, folder, args.bucket_bytes)}
            results[name] = {"batch": batch, "runs": runs, "bandwidth": measure_bandwidth(folder, runs["N=1, 1 thread"]["parameters"] + 1)}
    print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{l:.1f}' for l in os.getloadavg())} on {os.cpu_count()} cores")
    print(f"{'model':8} {'run':20} {'step ms':>9} {'buckets':>8} {'allreduce ms':>13} {'share':>6} {'not overlapped ms':>18} {'share':>6}")
    print("  (allreduce: rank 0's communication thread in it, waiting for the other rank included;")
    print("   not overlapped: what rank 0's steps waited for it after computing their gradients)")
    for name, result in results.items():
        for run, r in result["runs"].items():
            print(f"{name:8} {run:20} {r['step_ms']:9.2f} {r['buckets']:8} {r['allreduce_ms']:13.2f} {r['allreduce_ms'] / r['step_ms']:6.1%}"
                  f" {r['waited_ms']:18.2f} {r['waited_ms'] / r['step_ms']:6.1%}")
    print()
    print("extrapolation to N hosts (ring allreduce: each rank sends and receives 2(N-1)/N of the gradient;")
    print("compute: the best single-process step divided by N, the global batch staying the same;")
    print("overlapped: the allreduce hidden behind the backward pass, taken as two thirds of the compute, as far as it lasts)")
    for name, result in results.items():
        runs = result["runs"]
        size = 4 * runs["N=1, 1 thread"]["parameters"]
        two = runs["N=2, 1 thread each"]
        measured, seconds = result["bandwidth"]
        result["gradient_bytes"] = size
        # One host's computation: its best single-process step.
        compute = min(runs["N=1, 1 thread"]["step_ms"], runs["N=1, 2 threads"]["step_ms"])
        print(f"{name}: gradient {size / 2**20:.2f} MiB; alone, its 2-rank allreduce takes {1e3 * seconds:.2f} ms: "
              f"{measured / 1e9:.2f} GB/s (shared memory); in training its allreduces took {two['allreduce_ms']:.2f} ms per step, "
              f"{two['waited_ms']:.2f} ms of them not overlapped")
        for link, bandwidth in [("this machine", measured)] + LINKS:
            cells = []
            for n in (2, 4, 8, 16):
                reduce = 1e3 * 2 * (n - 1) / n * size / bandwidth
                overlapped = compute / n + max(0.0, reduce - 2 / 3 * compute / n)
                cells.append(f"N={n}: {compute / n + reduce:7.2f} ms ({reduce / (compute / n + reduce):4.0%} allreduce), overlapped {overlapped:7.2f} ms")
            print(f"  {link:13} " + "  ".join(cells))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
