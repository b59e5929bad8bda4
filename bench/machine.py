"""What the benchmark records about the machine: the CPU, versions and environment, the
OpenBLAS core type PyTorch and numpy run best with, and how busy other processes keep the CPUs."""
import os
import platform
import subprocess
import sys
import tempfile

from workers import TICKS, cpu_seconds

# Environment variables that change what the measured code does.
RELEVANT_PREFIXES = ("OPENBLAS_", "GOTO", "OMP_", "MKL_", "GLIBC_TUNABLES", "MODELC_", "DOTNET_", "ATEN_", "KMP_")

# Core types to try: Debian's OpenBLAS does not know recent Xeons and falls back to SSE3 kernels.
CORETYPES = ("", "Cooperlake", "SkylakeX", "Haswell", "Zen", "Sandybridge")

# One-thread SGEMM below this many GFLOP/s is the reference (netlib) BLAS, about 5 GFLOP/s here,
# not OpenBLAS (tens of GFLOP/s even with a poor core type): numpy and PyTorch then fall back to
# it when libopenblas0-pthread is missing, and every ratio to PyTorch reads about 0.03x.
UNOPTIMISED_BLAS_GFLOPS = 15.0

PROBE = """
import time, numpy as np
n = {n}
a, b = np.random.rand(n, n).astype(np.float32), np.random.rand(n, n).astype(np.float32)
c = a @ b
times = []
for _ in range(5):
    start = time.thread_time()
    np.matmul(a, b, out=c)
    times.append(time.thread_time() - start)
print(2 * n ** 3 / min(times) / 1e9)
"""


def cpu_info():
    model, flags = "unknown", []
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "model name" and model == "unknown":
                    model = value.strip()
                elif key == "flags" and not flags:
                    flags = value.split()
    except OSError:
        pass
    return model, flags


def vector_flags(flags):
    """The flags that decide which kernels run: the AVX family, FMA, AMX."""
    return [f for f in flags if f.startswith(("avx", "fma", "amx"))]


def command_output(argv, cwd=None):
    try:
        return subprocess.run(argv, capture_output=True, text=True, cwd=cwd, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None


def describe(root):
    """The machine, the versions and the environment, for the JSON."""
    model, flags = cpu_info()
    commit = command_output(["git", "rev-parse", "HEAD"], root)
    dirty = command_output(["git", "status", "--porcelain", "--untracked-files=no"], root)
    return {
        "cpu": model,
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "vector_flags": vector_flags(flags),
        "flags": flags,
        "kernel": platform.release(),
        "python": sys.version.split()[0],
        "dotnet": command_output(["dotnet", "--version"]),
        "modelc_commit": commit + ("-dirty" if dirty else "") if commit else None,
        "environment": {k: v for k, v in sorted(os.environ.items()) if k.startswith(RELEVANT_PREFIXES)},
    }


def fastest_coretype(python, n=1024):
    """Times numpy's SGEMM n³ on one thread under each OpenBLAS core type (in thread CPU time,
    which a busy machine barely changes); returns the fastest (name, GFLOP/s, every result).
    A core type this CPU lacks crashes the probe and is skipped."""
    results = {}
    for coretype in CORETYPES:
        env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
        env["OPENBLAS_NUM_THREADS"] = "1"
        if coretype:
            env["OPENBLAS_CORETYPE"] = coretype
        probe = subprocess.run([python, "-c", PROBE.format(n=n)], capture_output=True, text=True, env=env, timeout=120)
        results[coretype or "(default)"] = float(probe.stdout) if probe.returncode == 0 and probe.stdout.strip() else None
    usable = {k: v for k, v in results.items() if v}
    if not usable:
        return None, None, results
    best = max(usable, key=usable.get)
    return ("" if best == "(default)" else best), usable[best], results


def unoptimised_blas_warning(gflops):
    """The warning for a probed one-thread SGEMM rate (GFLOP/s) too slow to be OpenBLAS, else None."""
    if gflops is None or gflops >= UNOPTIMISED_BLAS_GFLOPS:
        return None
    return (f"numpy's SGEMM ran at {gflops:.1f} GFLOP/s on one thread, below {UNOPTIMISED_BLAS_GFLOPS:.0f}: numpy and PyTorch "
            "use the reference BLAS, not OpenBLAS, so every PyTorch figure and ratio is meaningless; "
            "install libopenblas0-pthread (Debian: apt-get install libopenblas0-pthread) and run again")


def fma_peak(root, cc="cc"):
    """One core's FP32 FMA peak, GFLOP/s per CPU second, from bench/fma_peak.c built for this CPU
    (-march=native); None where no C compiler builds it."""
    with tempfile.TemporaryDirectory() as folder:
        program = os.path.join(folder, "fma_peak")
        built = command_output([cc, "-O2", "-march=native", "-o", program, os.path.join(root, "bench", "fma_peak.c")])
        if built is None or not os.path.exists(program):
            return None
        figure = command_output([program])
    try:
        return float(figure) if figure else None
    except ValueError:
        return None


def load_average():
    return list(os.getloadavg())


class ForeignLoad:
    """The CPUs other processes kept busy while we measured: busy time of the whole machine
    (/proc/stat) minus that of our own processes, in CPUs, averaged over the interval."""

    def __init__(self, pids):
        self._pids = [os.getpid(), *pids]
        self._start = self._sample()

    def cpus(self):
        busy, ours, wall = (b - a for a, b in zip(self._start, self._sample()))
        return max(0.0, (busy - ours) / wall) if wall > 0 else 0.0

    def _sample(self):
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
        idle = fields[3] + fields[4]
        busy = (sum(fields[:8]) - idle) / TICKS
        ours = 0.0
        for pid in self._pids:
            try:
                ours += cpu_seconds(pid)
            except OSError:
                pass
        with open("/proc/uptime") as f:
            wall = float(f.read().split()[0])
        return busy, ours, wall
