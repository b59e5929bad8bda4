#!/usr/bin/python3
"""ModelC against PyTorch on the CPU: forward pass and whole train step of every benchmark model
(catalog.py) at 1 and 2 threads each, interleaved; compile time, peak memory and GEMM GFLOP/s.
Run through bench/run.sh, which builds the host in Release and publishes modelc as README.md
installs it (ReadyToRun; bench/publish_modelc.sh); bench/README.md says what
each figure means.

Per model: `modelc check` and the PyTorch equivalent must count the same parameters;
`modelc build --emit native --cpu native` compiles the forward pass and the train step for this machine (timed: the compile
figures); the host (bench/ModelC.Bench) loads them with the runtime alone, at 1 and 2 threads,
and one PyTorch worker per thread count builds the equivalent (torch_worker.py). Each repetition
times a block of steps of every configuration in turn, the order rotating, so that drift of the
machine hits all alike. Peak memory is measured in fresh processes running the train step."""
import argparse
import os
import re
import shlex
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import catalog
import machine
import report
from workers import Worker, WorkerError

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# PyTorch's best settings on this kind of machine (bench/README.md).
TORCH_ENV = {
    "GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=4294967296",
    "OMP_WAIT_POLICY": "PASSIVE",
}

# Foreign load (CPUs busy with other processes) above which wall-clock figures are suspect.
BUSY_CPUS = 0.25


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modelc", default="dotnet " + os.path.join(ROOT, "compiler/ModelC.Cli/bin/Release/net10.0/modelc.dll"),
                        help="the modelc command (default: the Release build)")
    parser.add_argument("--host", default="dotnet " + os.path.join(HERE, "ModelC.Bench/bin/Release/net10.0/modelc-bench.dll"),
                        help="the ModelC bench host command (default: the Release build)")
    parser.add_argument("--threads", default="1,2", help="thread counts, comma-separated (default 1,2)")
    parser.add_argument("--reps", type=int, default=7, help="repetitions per configuration (default 7; at least 5 for figures)")
    parser.add_argument("--block-ms", type=float, default=200, help="the length a repetition's block of steps aims at (default 200 ms)")
    parser.add_argument("--only", help="a regular expression: run the cases whose name matches (see catalog.py)")
    parser.add_argument("--modes", default="forward,train", help="forward, train or both (default)")
    parser.add_argument("--no-gemm", action="store_true", help="skip the GEMM cases")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory processes")
    parser.add_argument("--no-torch", action="store_true", help="measure ModelC only")
    parser.add_argument("--coretype", help="OPENBLAS_CORETYPE for PyTorch and numpy (default: the fastest, probed)")
    parser.add_argument("--smoke", action="store_true", help="a few seconds' run of a small model and GEMM, 2 repetitions: checks the scripts, measures nothing")
    parser.add_argument("--json", help="where to write every repetition and the environment (default: out/bench/bench-DATE.json)")
    args = parser.parse_args()
    args.threads = [int(t) for t in args.threads.split(",")]
    args.modes = args.modes.split(",")
    if args.smoke:
        args.reps, args.block_ms = min(args.reps, 2), 5
    return args


def selected_cases(args):
    cases = catalog.SMOKE if args.smoke else catalog.MODELS + ([] if args.no_gemm else catalog.GEMMS)
    return [c for c in cases if not args.only or re.search(args.only, c.name)]


def progress(text):
    print(text, file=sys.stderr, flush=True)


class Modelc:
    """The modelc command line: parameter counts and timed builds."""

    def __init__(self, command):
        self._command = shlex.split(command)

    def _arguments(self, case):
        arguments = [os.path.join(ROOT, case.source), "--model", case.model]
        for name, value in case.defines.items():
            arguments += ["-D", f"{name}={value}"]
        return arguments

    def parameters(self, case):
        out = subprocess.run([*self._command, "check", *self._arguments(case)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"ok, ([0-9,]+) parameters", out).group(1).replace(",", ""))

    def build(self, case, mode, directory):
        """`modelc build --emit native` of the forward pass or the train step, twice in one fresh
        cache folder: cold (every kernel compiled) and warm (objects and library from the cache).
        Wall and CPU seconds of each process, and the kernels."""
        with tempfile.TemporaryDirectory(prefix="modelc-bench-cache-") as cache:
            cold = self._build(case, mode, directory, cache)
            warm = self._build(case, mode, directory, cache)
        return {**cold, "warm_wall_s": warm["wall_s"], "warm_cpu_s": warm["cpu_s"]}

    def _build(self, case, mode, directory, cache):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        built = subprocess.run([*self._command, "build", *self._arguments(case), "--emit", "native", "--cpu", "native", "-o", directory,
                                "--mode", "train" if mode == "train" else "infer"], capture_output=True, text=True,
                               env={**os.environ, "MODELC_CACHE": cache})
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if built.returncode != 0:
            raise WorkerError(f"modelc build of {case.name} ({mode}) failed: {built.stderr.strip()}")
        kernels = re.search(r": ([0-9]+) kernels -> ", built.stdout)
        return {"wall_s": wall, "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
                "kernels": int(kernels.group(1)) if kernels else None}


def torch_env(threads, coretype):
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    env.update(TORCH_ENV)
    env.update({"OPENBLAS_NUM_THREADS": str(threads), "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)})
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    return env


def start_torch(threads, coretype):
    return Worker(f"PyTorch worker ({threads} thread(s))", [sys.executable, "-B", os.path.join(HERE, "torch_worker.py"), str(threads)],
                  env=torch_env(threads, coretype), cwd=HERE, greets=True)


def start_host(command):
    return Worker("ModelC host", shlex.split(command))


class Runner:
    """One configuration of a case: a framework at a thread count, and how to time steps there."""

    def __init__(self, framework, threads, worker, host_threads=None):
        self.framework, self.threads, self.worker = framework, threads, worker
        self._host_threads = host_threads

    @property
    def key(self):
        return f"{self.framework}-{self.threads}"

    def time(self, steps):
        fields = {"steps": steps} if self._host_threads is None else {"steps": steps, "threads": self._host_threads}
        answer = self.worker.request(op="time", **fields)
        self.worker.settle()
        return answer


def measure(runners, reps, block_ms):
    """Warms each runner up, sizes its block to about `block_ms`, then `reps` rounds of one block
    per runner, the order rotating by one each round. Returns every block per runner."""
    steps = {}
    for runner in runners:
        runner.time(2)
        last = runner.time(1)["wall_ms"][-1]
        steps[runner.key] = max(1, min(1000, round(block_ms / max(last, 1e-3))))
    blocks = {runner.key: [] for runner in runners}
    for rep in range(reps):
        for runner in runners[rep % len(runners):] + runners[:rep % len(runners)]:
            answer = runner.time(steps[runner.key])
            blocks[runner.key].append({"wall_ms": answer["wall_ms"], "cpu_ms": answer["cpu_ms"], "loss": answer.get("loss")})
    return {runner.key: summarize(runner, blocks[runner.key]) for runner in runners}


def summarize(runner, blocks):
    """A repetition's time is its block's mean step: min and median over repetitions."""
    times = [statistics.fmean(b["wall_ms"]) for b in blocks]
    cpu = [statistics.fmean(b["cpu_ms"]) for b in blocks]
    return {"framework": runner.framework, "threads": runner.threads, "steps_per_rep": len(blocks[0]["wall_ms"]),
            "min_ms": min(times), "median_ms": statistics.median(times),
            "cpu_median_ms": statistics.median(cpu) if runner.threads == 1 else None, "reps": blocks}


def best(runs, framework):
    candidates = [r for r in runs.values() if r["framework"] == framework]
    return min(candidates, key=lambda r: r["median_ms"]) if candidates else None


def time_case(case, mode, directory, host, torch_workers, args):
    host.request(op="load", dir=directory, model=case.model, batch=case.batch, threads=args.threads, labels=case.labels)
    runners, parameters = [], None
    for threads in args.threads:
        runners.append(Runner("modelc", threads, host, host_threads=threads))
        if threads in torch_workers:
            worker = torch_workers[threads]
            parameters = worker.request(op="load", family=case.family, sizes=case.sizes, batch=case.batch, mode=mode)["parameters"]
            runners.append(Runner("pytorch", threads, worker))
    load = machine.ForeignLoad([host.pid, *(w.pid for w in torch_workers.values())])
    runs = measure(runners, args.reps, args.block_ms)
    ours, theirs, foreign = best(runs, "modelc"), best(runs, "pytorch"), load.cpus()
    return {"runs": runs, "foreign_cpus": foreign, "busy": foreign > BUSY_CPUS,
            "ratio": ours["median_ms"] / theirs["median_ms"] if theirs else None}, parameters


def peak_memory(case, directory, args, coretype, has_torch):
    """Peak resident memory of a fresh process that loads the train step and runs three steps."""
    result = {}
    with start_host(args.host) as host:
        baseline = host.request(op="memory")
        host.request(op="load", dir=directory, model=case.model, batch=case.batch, threads=[1], labels=case.labels)
        host.request(op="time", threads=1, steps=3)
        result["modelc"] = {"baseline_kib": baseline["hwm_kib"], "peak_kib": host.request(op="memory")["hwm_kib"]}
    if has_torch:
        with start_torch(1, coretype) as worker:
            baseline = worker.request(op="memory")
            worker.request(op="load", family=case.family, sizes=case.sizes, batch=case.batch, mode="train")
            worker.request(op="time", steps=3)
            result["pytorch"] = {"baseline_kib": baseline["hwm_kib"], "peak_kib": worker.request(op="memory")["hwm_kib"]}
    return result


def torch_missing(python):
    """Why `python` cannot run the PyTorch side, or None when it can."""
    probe = subprocess.run([python, "-c", "import torch, numpy"], capture_output=True, text=True)
    return None if probe.returncode == 0 else (probe.stderr.strip().splitlines() or ["no reason given"])[-1]


class Session:
    """What every case is measured with: the options, modelc, the host and the PyTorch workers,
    a scratch directory for the builds, and the warnings so far."""

    def __init__(self, args, coretype, has_torch, warnings):
        self.args, self.coretype, self.has_torch, self.warnings = args, coretype, has_torch, warnings
        self.modelc = Modelc(args.modelc)
        self.workdir = tempfile.TemporaryDirectory(prefix="modelc-bench-")
        self.host = start_host(args.host)
        self.torch_workers = {t: start_torch(t, coretype) for t in args.threads} if has_torch else {}

    def close(self):
        self.host.close()
        for worker in self.torch_workers.values():
            worker.close()
        self.workdir.cleanup()

    def run(self, case):
        """Compiles, checks, times and (for a train step) weighs one case."""
        entry = {"name": case.name, "title": case.title, "family": case.family, "source": case.source, "model": case.model,
                 "batch": case.batch, "sizes": case.sizes, "defines": case.defines, "compile": {}, "timings": {},
                 "matmul_flops": {mode: catalog.matmul_flops(case, mode) for mode in case.modes}}
        if case.family != "gemm":
            entry["parameters"] = {"modelc": self.modelc.parameters(case)}
        for mode in (m for m in self.args.modes if m in case.modes):
            progress(f"{case.name}: {mode}: compiling")
            directory = os.path.join(self.workdir.name, case.name, mode)
            entry["compile"][mode] = self.modelc.build(case, mode, directory)
            progress(f"{case.name}: {mode}: timing")
            timing, parameters = time_case(case, mode, directory, self.host, self.torch_workers, self.args)
            entry["timings"][mode] = timing
            if parameters is not None and case.family != "gemm":
                entry["parameters"]["pytorch"] = parameters
            if mode == "train" and not self.args.no_memory:
                progress(f"{case.name}: peak memory")
                entry["memory"] = peak_memory(case, directory, self.args, self.coretype, self.has_torch)
        counts = entry.get("parameters", {})
        if "pytorch" in counts and counts["pytorch"] != counts["modelc"]:
            self.warnings.append(f"{case.name}: the PyTorch equivalent has {counts['pytorch']:,} parameters, ModelC {counts['modelc']:,}")
        return entry


def main():
    args = parse_args()
    results = {"settings": dict(vars(args)), "environment": machine.describe(ROOT),
               "load_average": {"start": machine.load_average()}, "warnings": [], "cases": []}
    cpus = results["environment"]["cpus_usable"]
    if results["load_average"]["start"][0] > 0.5 * cpus:
        results["warnings"].append(f"the machine is busy: load average {results['load_average']['start'][0]:.2f} on {cpus} CPUs at the start; "
                                   "wall-clock figures (2-thread ones most) are not to be trusted; per-thread CPU times of 1-thread runs hold")
    missing = "left out with --no-torch" if args.no_torch else torch_missing(sys.executable)
    if missing:
        results["warnings"].append(f"PyTorch: {missing} ({sys.executable}); ModelC only")
    coretype = args.coretype
    if not missing and coretype is None:
        progress("probing OPENBLAS_CORETYPE...")
        coretype, gflops, probes = machine.fastest_coretype(sys.executable, 256 if args.smoke else 1024)
        results["coretype_probe"] = {"chosen": coretype, "gflops_1_thread": gflops, "all": probes}
        # Said at once as well as with the tables: a whole run takes minutes and would be wasted.
        if blas := machine.unoptimised_blas_warning(gflops):
            progress(f"WARNING: {blas}")
            results["warnings"].append(blas)
    results["settings"]["coretype"] = coretype
    progress("probing the FMA peak (bench/fma_peak.c)...")
    results["fma_peak_gflops"] = machine.fma_peak(ROOT)
    session = Session(args, coretype, not missing, results["warnings"])
    try:
        if session.torch_workers:
            greeting = next(iter(session.torch_workers.values())).greeting
            results["environment"].update({"torch": greeting["torch"], "numpy": greeting["numpy"], "torch_parallel_info": greeting["parallel_info"],
                                           "torch_environment": {k: v for k, v in torch_env(1, coretype).items() if k.startswith(machine.RELEVANT_PREFIXES)}})
        results["cases"] = [session.run(case) for case in selected_cases(args)]
    finally:
        session.close()
    results["load_average"]["end"] = machine.load_average()
    path = args.json or os.path.join(ROOT, "out", "bench", time.strftime("bench-%Y%m%d-%H%M%S.json"))
    report.write_json(results, path)
    report.print_tables(results, sys.stdout)
    print(f"\nevery repetition and the environment: {path}")


if __name__ == "__main__":
    main()
