"""The benchmark's PyTorch side: bench.py starts one per thread count, with the environment of
that setting (OPENBLAS_NUM_THREADS and the rest are read when the libraries load), and drives
it over stdin and stdout, one JSON object per line, as it drives the ModelC host:

    (on start)                                   -> {"ok", "torch", "numpy", "threads", "parallel_info"}
    {"op": "load", "family", "sizes", "batch", "mode", "seed"}  -> {"ok", "parameters"}
    {"op": "time", "steps"}                      -> {"ok", "wall_ms": [...], "cpu_ms": [...], "loss"}
    {"op": "memory"}                             -> {"ok", "hwm_kib", "rss_kib"}

Usage: torch_worker.py THREADS"""
import json
import sys
import time


def memory():
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                values[key] = int(rest.split()[0])
    return {"hwm_kib": values["VmHWM"], "rss_kib": values["VmRSS"]}


def timed(step, steps):
    wall, cpu, result = [], [], None
    for _ in range(steps):
        cpu_start, start = time.thread_time(), time.perf_counter()
        result = step()
        wall.append((time.perf_counter() - start) * 1e3)
        cpu.append((time.thread_time() - cpu_start) * 1e3)
    return wall, cpu, result


def main():
    threads = int(sys.argv[1])
    import numpy as np
    import torch
    torch.set_num_threads(threads)
    import torch_models
    reply({"ok": True, "torch": torch.__version__, "numpy": np.__version__, "threads": torch.get_num_threads(),
           "parallel_info": torch.__config__.parallel_info()})
    model, step = None, None
    for line in sys.stdin:
        try:
            request = json.loads(line)
            op = request["op"]
            if op == "load":
                model = None
                model = torch_models.build(request["family"], request["sizes"], request["batch"], request.get("seed", 0))
                step = model.train_step if request["mode"] == "train" else model.forward
                reply({"ok": True, "parameters": model.parameter_count})
            elif op == "time":
                if step is None:
                    raise ValueError("no model is loaded")
                wall, cpu, loss = timed(step, max(1, request["steps"]))
                reply({"ok": True, "wall_ms": wall, "cpu_ms": cpu, "loss": None if loss is None else repr(float(loss))})
            elif op == "memory":
                reply({"ok": True, **memory()})
            else:
                raise ValueError(f"unknown op '{op}' (load, time, memory)")
        except (KeyError, ValueError, TypeError, RuntimeError) as e:
            reply({"ok": False, "error": f"{type(e).__name__}: {e}"})


def reply(answer):
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
