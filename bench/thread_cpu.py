"""How the threads of a 2-thread ModelC run share the work, readable on a busy machine: the CPU
time per step of each kernel thread of the bench host (the caller's and modelc-kernel-N, from
/proc/PID/task/TID/schedstat, in ms), at 1 and 2 threads, twice each, median of REPS blocks of
~0.3 s. Balanced threads with the 1-thread total are the proxy for 2-thread scaling when the
wall clock is not to be trusted. Needs bench/run.sh's Release builds of modelc and the host.
usage: python3 bench/thread_cpu.py ROOT CASE...   CASE = gemm:M,K,N | mlp:BATCH[:train] | macaron:BATCH[:train]"""
import os, shutil, subprocess, sys, tempfile
root = sys.argv[1]
sys.path.insert(0, os.path.join(root, "bench"))
from workers import Worker
modelc = ["dotnet", os.path.join(root, "compiler/ModelC.Cli/bin/Release/net10.0/modelc.dll")]
host = Worker("host", ["dotnet", os.path.join(root, "bench/ModelC.Bench/bin/Release/net10.0/modelc-bench.dll")])
reps = int(os.environ.get("REPS", "5"))

def threads(pid):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            comm = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
            ns = int(open(f"/proc/{pid}/task/{tid}/schedstat").read().split()[0])
        except OSError:
            continue
        out[tid] = (comm, ns)
    return out

# The reference models a case can name: source, model, and the class count of its label input.
MODELS = {"mlp": ("examples/mlp/mlp.mdl", "Mlp", {"y": 10}), "macaron": ("examples/macaron/macaron.mdl", "Macaron", {})}

work = tempfile.mkdtemp(prefix="modelc-thread-cpu-")
for case in sys.argv[2:]:
    kind, spec = case.split(":", 1)
    mode = "infer"
    if kind == "gemm":
        m, k, n = spec.split(",")
        src, model, defines, batch, flops = "bench/matmul.mdl", "MatMul", ["-D", f"m={m}", "-D", f"k={k}", "-D", f"n={n}"], 1, 2 * int(m) * int(k) * int(n)
        train_labels = {}
    else:
        parts = spec.split(":")
        batch = int(parts[0]); mode = parts[1] if len(parts) > 1 else "infer"
        src, model, train_labels = MODELS[kind]
        defines, flops = [], None
    d = os.path.join(work, case.replace(":", "_").replace(",", "x"))
    subprocess.run([*modelc, "build", os.path.join(root, src), "--model", model, *defines, "--emit", "native", "--cpu", "native", "-o", d, "--mode", mode],
                   check=True, capture_output=True, env={**os.environ, "MODELC_CACHE": os.path.join(work, "cache")})
    labels = train_labels if mode == "train" else {}
    host.request(op="load", dir=d, model=model, batch=batch, threads=[1, 2], seed=1, labels=labels)
    for t in (1, 2):
        host.request(op="time", threads=t, steps=3)
    for t in (1, 2, 1, 2):
        a = host.request(op="time", threads=t, steps=2)
        per = max(1, int(300 / max(a["wall_ms"][-1], 0.01)))
        rows = []
        for r in range(reps):
            before = threads(host.pid)
            ans = host.request(op="time", threads=t, steps=per)
            after = threads(host.pid)
            d_ = {after[x][0] + ":" + x: (after[x][1] - before.get(x, (0, 0))[1]) / per / 1e6 for x in after}
            busy = sorted(((v, k) for k, v in d_.items() if v > 0.002 and (k.startswith("dotnet:") or k.startswith("modelc-kernel"))), reverse=True)
            rows.append((sum(ans["cpu_ms"]) / per, busy))
        rows.sort(key=lambda r: r[0])
        cpu, busy = rows[len(rows) // 2]
        tot = sum(v for v, _ in busy)
        desc = " ".join(f"{k.split(':')[0]}={v:.3f}" for v, k in busy[:3])
        print(f"{case:22s} {t}t  ms/step per thread: {desc}   total {tot:.3f}" + (f"  ({flops / (tot/ t) / 1e6:.0f} GFLOP/s over the mean thread CPU)" if flops else ""), flush=True)
host.close()
shutil.rmtree(work)
