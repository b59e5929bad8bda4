#!/usr/bin/python3
"""Compile time of every example: for each model of examples/**/*.mdl, `modelc build --emit native`
of its forward pass (--mode infer) and of its train step (--mode train), each twice in one fresh
cache folder, a fresh process each time: cold (every kernel compiled, nothing cached) and warm
(unchanged source and options: the build cache replays the outputs). The builds are for modelc's
default target (a portable library and its AVX-512 variant) unless --cpu names one (native: this
machine's alone, what `modelc run` and `modelc train` compile). Process CPU time (user +
system of the process and its children, so the linker counts) and wall time of each process.
Also `modelc --version` (the .NET start-up of the command, no compiling) and, per example, a warm
`modelc run` (the whole process: start-up, compile or cache, one run), with --train a cold and a
warm `modelc train` of the train step (3 steps on random data shaped by its built manifest, in a
cache of its own), and the limits the issue sets (inference ≤ 2 s, train step ≤ 5 s cold; ≤ 0.2 s warm).
The modelc timed is the one README.md installs (ReadyToRun: publish_modelc.sh runs first) unless --modelc names another.
Writes a Markdown table (stdout, and --markdown) and every figure as JSON (--json)."""
import argparse
import glob
import json
import os
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LIMITS = {"infer": 2.0, "train": 5.0}
WARM_LIMIT = 0.2
MODEL = re.compile(r"^model\s+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modelc", help="the modelc command (default: modelc published as README.md installs it, by bench/publish_modelc.sh)")
    parser.add_argument("--only", help="a regular expression: the models (FILE:MODEL, path relative to the repository) to measure")
    parser.add_argument("--modes", default="infer,train", help="infer, train or both (default)")
    parser.add_argument("--cpu", help="pass `--cpu CPU` to the builds, e.g. native: this machine's target alone, what `modelc run` and "
                        "`modelc train` compile (they take no --cpu); default: modelc build's default, the portable library and its AVX-512 variant")
    parser.add_argument("--no-run", action="store_true", help="skip the warm `modelc run` column")
    parser.add_argument("--train", action="store_true", help="also time a cold and a warm `modelc train` of each train step")
    parser.add_argument("--markdown", help="also write the table here")
    parser.add_argument("--json", help="write every figure here")
    args = parser.parse_args()
    args.modes = args.modes.split(",")
    args.cpu_options = ["--cpu", args.cpu] if args.cpu else []
    if args.modelc is None:
        args.modelc = subprocess.run(["bash", os.path.join(HERE, "publish_modelc.sh")], check=True, stdout=subprocess.PIPE, text=True).stdout.strip()
    return args


def timed(command, env):
    """Runs a fresh process; its wall seconds, CPU seconds (with its children) and output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise RuntimeError(f"{shlex.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    return wall, cpu, done.stdout


def examples(only):
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", "**", "*.mdl"), recursive=True)):
        relative = os.path.relpath(path, ROOT)
        with open(path, encoding="utf-8") as f:
            for model in MODEL.findall(f.read()):
                if not only or re.search(only, f"{relative}:{model}"):
                    yield relative, model


def build(modelc, source, model, mode, cache, output, cpu_options):
    env = {**os.environ, "MODELC_CACHE": cache}
    command = [*modelc, "build", source, "--model", model, "--emit", "native", "-o", output, "--mode", mode, *cpu_options]
    cold_wall, cold_cpu, out = timed(command, env)
    warm_wall, warm_cpu, _ = timed(command, env)
    kernels = re.search(r": ([0-9]+) kernels -> ", out)
    return {"kernels": int(kernels.group(1)) if kernels else None, "cold_wall_s": cold_wall, "cold_cpu_s": cold_cpu,
            "warm_wall_s": warm_wall, "warm_cpu_s": warm_cpu}


def warm_run(modelc, source, model, mode, cache):
    """A second `modelc run` of the same source and options (the first fills the cache)."""
    env = {**os.environ, "MODELC_CACHE": cache}
    command = [*modelc, "run", source, "--model", model, "--mode", mode, "-b", "1", "-r", "0", "-t", "1"]
    timed(command, env)
    wall, cpu, _ = timed(command, env)
    return {"run_warm_wall_s": wall, "run_warm_cpu_s": cpu}


def train_data(manifest_path, path, samples):
    """An .npz of random samples for the model's data inputs (those with the batch dimension first)."""
    import numpy
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    rng = numpy.random.default_rng(0)
    arrays = {}
    for tensor in manifest["tensors"]:
        shape = manifest["buffers"][tensor["buffer"]]["shape"]
        if tensor["role"] != "input" or not shape or shape[0] not in manifest["symbols"]:
            continue
        dims = (samples, *(int(d) for d in shape[1:]))
        if manifest["buffers"][tensor["buffer"]]["type"] == "i32":
            arrays[tensor["name"]] = rng.integers(0, tensor["indexBound"] or 2, dims, dtype=numpy.int32)
        else:
            arrays[tensor["name"]] = rng.standard_normal(dims, dtype=numpy.float32)
    numpy.savez(path, **arrays)


def cold_warm_train(modelc, source, model, cache, data, output):
    """`modelc train` of 3 steps twice in a fresh cache: cold (compiles), then warm (the program cache)."""
    env = {**os.environ, "MODELC_CACHE": cache}
    command = [*modelc, "train", source, "--model", model, "--data", data, "--validation", "0.25", "--batch", "2",
               "--epochs", "1", "-t", "1", "-o", output]
    cold_wall, cold_cpu, _ = timed(command, env)
    warm_wall, warm_cpu, out = timed(command, env)
    if "from the cache" not in out:
        raise RuntimeError(f"the second `modelc train` of {source}:{model} did not load from the cache:\n{out}")
    return {"train_cold_wall_s": cold_wall, "train_cold_cpu_s": cold_cpu, "train_warm_wall_s": warm_wall, "train_warm_cpu_s": warm_cpu}


def cell(entry, mode):
    if entry is None:
        return "—"
    flag = "" if entry["cold_wall_s"] <= LIMITS[mode] else " ✗"
    text = f"{entry['kernels']} k, {entry['cold_wall_s']:.2f} / {entry['cold_cpu_s']:.2f}{flag}, {entry['warm_wall_s']:.2f} / {entry['warm_cpu_s']:.2f}"
    if "run_warm_wall_s" in entry:
        text += f", {entry['run_warm_wall_s']:.2f} / {entry['run_warm_cpu_s']:.2f}"
    if "train_warm_wall_s" in entry:
        text += (f"; train {entry['train_cold_wall_s']:.2f} / {entry['train_cold_cpu_s']:.2f},"
                 f" {entry['train_warm_wall_s']:.2f} / {entry['train_warm_cpu_s']:.2f}")
    return text


def main():
    args = parse_args()
    modelc = shlex.split(args.modelc)
    start_load = os.getloadavg()
    start_wall, start_cpu, version = timed([*modelc, "--version"], dict(os.environ))
    rows = []
    with tempfile.TemporaryDirectory(prefix="modelc-compile-times-") as scratch:
        for n, (source, model) in enumerate(examples(args.only)):
            row = {"source": source, "model": model}
            for mode in args.modes:
                cache = os.path.join(scratch, f"cache-{n}-{mode}")
                entry = build(modelc, source, model, mode, cache, os.path.join(scratch, f"out-{n}-{mode}"),
                              args.cpu_options)
                if not args.no_run:
                    entry.update(warm_run(modelc, source, model, mode, cache))
                if args.train and mode == "train":
                    data = os.path.join(scratch, f"data-{n}.npz")
                    train_data(os.path.join(scratch, f"out-{n}-{mode}", f"{model}.manifest.json"), data, 8)
                    entry.update(cold_warm_train(modelc, source, model, os.path.join(scratch, f"train-cache-{n}"), data,
                                                 os.path.join(scratch, f"trained-{n}")))
                entry["load"] = os.getloadavg()[0]
                row[mode] = entry
                print(f"{source}:{model} {mode}: {cell(entry, mode)} (load {entry['load']:.1f})", file=sys.stderr, flush=True)
            rows.append(row)
    load = os.getloadavg()
    lines = [
        f"modelc {version.strip()}; --cpu {args.cpu or '(default)'}; load average {start_load[0]:.2f} at the start, {load[0]:.2f} "
        f"at the end on {os.cpu_count()} CPUs; "
        f"`modelc --version` (.NET start-up, nothing compiled): {start_wall:.2f} s wall / {start_cpu:.2f} s CPU",
        "",
        "Per mode: kernels, cold build wall / CPU s (✗: over the limit, "
        f"{LIMITS['infer']:g} s inference, {LIMITS['train']:g} s train step), warm build wall / CPU s"
        + ("" if args.no_run else ", warm `modelc run` wall / CPU s (whole process, one run at batch 1)")
        + ("; train step: cold, warm `modelc train` wall / CPU s (whole process, 3 steps of 2 samples)" if args.train else ""),
        "",
        "| example | model | " + " | ".join({"infer": "forward pass", "train": "train step"}[m] for m in args.modes) + " |",
        "|---|---|" + "---|" * len(args.modes),
    ]
    for row in rows:
        lines.append(f"| {row['source']} | {row['model']} | " + " | ".join(cell(row.get(m), m) for m in args.modes) + " |")
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(table + "\n")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"version": version.strip(), "cpu": args.cpu, "startup_wall_s": start_wall, "startup_cpu_s": start_cpu,
                       "load": load, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
