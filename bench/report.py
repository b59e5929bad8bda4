"""bench.py's output: the tables on stdout and the JSON file with every repetition."""
import json
import os

FRAMEWORKS = (("modelc", "ModelC"), ("pytorch", "PyTorch"))


def write_json(results, path):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")


def ms(value):
    """A time in ms with about three significant digits."""
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def ratio(value):
    return "-" if value is None else f"{value:.2f}x"


def print_tables(results, out):
    env, settings = results["environment"], results["settings"]
    threads = settings["threads"]
    print(f"CPU: {env['cpu']}, {env['cpus_usable']} usable CPUs; {' '.join(f for f in env['vector_flags'] if f in ('avx2', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx512_bf16', 'amx_tile'))}", file=out)
    print(f"torch {env.get('torch', '-')}, numpy {env.get('numpy', '-')}, dotnet {env['dotnet']}, modelc {env['modelc_commit']}; "
          f"OPENBLAS_CORETYPE={settings.get('coretype') or '(default)'}", file=out)
    start, end = results["load_average"]["start"], results["load_average"]["end"]
    print(f"load average at start {start[0]:.2f} {start[1]:.2f} {start[2]:.2f}, at end {end[0]:.2f} {end[1]:.2f} {end[2]:.2f}; "
          f"{settings['reps']} repetitions of about {settings['block_ms']:g} ms each", file=out)
    models = [c for c in results["cases"] if c["family"] != "gemm"]
    gemms = [c for c in results["cases"] if c["family"] == "gemm"]
    peak = results.get("fma_peak_gflops")
    if models:
        print_timings(models, threads, peak, out)
        print_compile(models, out)
        print_memory(models, out)
    if gemms:
        print_gemm(gemms, threads, peak, out)
    for warning in results["warnings"]:
        print(f"WARNING: {warning}", file=out)
    busy = [t["foreign_cpus"] for c in results["cases"] for t in c["timings"].values() if t["busy"]]
    if busy:
        print(f"WARNING: other processes kept {min(busy):.2f} to {max(busy):.2f} CPUs busy during {len(busy)} of the measurements (rows marked !); their wall-clock figures are suspect", file=out)


def floor_ratio(case, mode, timing, threads, peak):
    """The lowest ratio any schedule could reach: the case's matrix products alone at the FMA peak of
    every thread, over PyTorch-best's median; None where either is unknown."""
    flops = case.get("matmul_flops", {}).get(mode)
    best = min((run["median_ms"] for key, run in timing["runs"].items() if key.startswith("pytorch-")), default=None)
    if not flops or not peak or not best:
        return None
    return flops / (max(threads) * peak * 1e6) / best


def print_timings(cases, threads, peak, out):
    print("\nTime per step, ms: median (min) over the repetitions; ratio = ModelC-best / PyTorch-best (best thread count by median);", file=out)
    print("CPU 1t = per-thread CPU time of the 1-thread runs (median), ModelC / PyTorch; ! = other processes were busy meanwhile", file=out)
    print("floor = the ratio of the matrix products alone at the FMA peak of every thread (" +
          (f"{peak:.0f} GFLOP/s a core, bench/fma_peak.c" if peak else "unknown: no C compiler") + "): no schedule goes below it", file=out)
    cells = [f"{name} {t}t" for _, name in FRAMEWORKS for t in threads]
    print(f"{'case':16} {'mode':8}" + "".join(f"{c:>17}" for c in cells) + f"{'ratio':>8}  {'CPU 1t':>20}{'floor':>8}", file=out)
    for case in cases:
        for mode, timing in case["timings"].items():
            runs = timing["runs"]
            row = f"{case['name']:16} {mode:8}"
            for framework, _ in FRAMEWORKS:
                for t in threads:
                    run = runs.get(f"{framework}-{t}")
                    row += f"{(ms(run['median_ms']) + ' (' + ms(run['min_ms']) + ')') if run else '-':>17}"
            ours, theirs = runs.get("modelc-1"), runs.get("pytorch-1")
            cpu = (f"{ms(ours['cpu_median_ms'])} / {ms(theirs['cpu_median_ms'])} = {ours['cpu_median_ms'] / theirs['cpu_median_ms']:.2f}"
                   if ours and theirs else "-")
            busy = " !" if timing["busy"] else ""
            floor = ratio(floor_ratio(case, mode, timing, threads, peak))
            print(row + f"{ratio(timing['ratio']):>8}  {cpu:>20}{floor:>8}{busy}", file=out)
    for case in cases:
        print(f"  {case['name']:16} {case['title']}", file=out)


def print_compile(cases, out):
    print("\nCompile (modelc build --emit native, a fresh process each): kernels, cold wall s, cold CPU s, warm wall s; parameters ModelC / PyTorch", file=out)
    print(f"{'case':16} {'forward':>30} {'train step':>30}  parameters", file=out)
    for case in cases:
        row = f"{case['name']:16}"
        for mode in ("forward", "train"):
            built = case["compile"].get(mode)
            cell = f"{built['kernels']} k, {built['wall_s']:.1f} s, {built['cpu_s']:.1f} s, {built['warm_wall_s']:.2f} s" if built else "-"
            row += f" {cell:>30}"
        counts = case.get("parameters", {})
        check = "" if "pytorch" not in counts else (" = " if counts["pytorch"] == counts["modelc"] else " MISMATCH ") + f"{counts['pytorch']:,}"
        print(row + f"  {counts.get('modelc', 0):,}{check}", file=out)


def print_memory(cases, out):
    measured = [c for c in cases if "memory" in c]
    if not measured:
        return
    print("\nPeak memory (VmHWM) of a fresh process running the train step, MiB: peak (baseline before loading the model)", file=out)
    print(f"{'case':16} {'ModelC':>16} {'PyTorch':>16} {'peak ratio':>11} {'model ratio':>12}", file=out)
    for case in measured:
        memory = case["memory"]
        cells, shares = [], []
        for framework, _ in FRAMEWORKS:
            m = memory.get(framework)
            cells.append(f"{m['peak_kib'] / 1024:.0f} ({m['baseline_kib'] / 1024:.0f})" if m else "-")
            shares.append((m["peak_kib"], m["peak_kib"] - m["baseline_kib"]) if m else None)
        peak = ratio(shares[0][0] / shares[1][0]) if shares[1] else "-"
        model = ratio(shares[0][1] / shares[1][1]) if shares[1] and shares[1][1] > 0 else "-"
        print(f"{case['name']:16} {cells[0]:>16} {cells[1]:>16} {peak:>11} {model:>12}", file=out)


def print_gemm(cases, threads, peak, out):
    print("\nGEMM c[M,N] = a[M,K] b[K,N], GFLOP/s at the median (at the min) repetition; ModelC (bench/matmul.mdl) vs numpy;", file=out)
    print("CPU 1t = GFLOP/s per CPU second of the 1-thread runs (median), ModelC / numpy" +
          (f", and ModelC's share of one core's FMA peak ({peak:.0f} GFLOP/s, bench/fma_peak.c)" if peak else ""), file=out)
    cells = [f"{name if name == 'ModelC' else 'numpy'} {t}t" for _, name in FRAMEWORKS for t in threads]
    top = max(threads)
    print(f"{'M x K x N':18}" + "".join(f"{c:>17}" for c in cells) + f"{'ModelC/numpy ' + str(top) + 't, best':>22}{'CPU 1t':>22}", file=out)
    for case in cases:
        flops = 2 * case["sizes"]["m"] * case["sizes"]["k"] * case["sizes"]["n"]
        timing = case["timings"]["forward"]
        shape = f"{case['sizes']['m']}x{case['sizes']['k']}x{case['sizes']['n']}"
        row = f"{shape:18}"
        for framework, _ in FRAMEWORKS:
            for t in threads:
                run = timing["runs"].get(f"{framework}-{t}")
                cell = f"{flops / run['median_ms'] / 1e6:.1f} ({flops / run['min_ms'] / 1e6:.1f})" if run else "-"
                row += f"{cell:>17}"
        ours, theirs = timing["runs"].get(f"modelc-{top}"), timing["runs"].get(f"pytorch-{top}")
        at_top = f"{100 * theirs['median_ms'] / ours['median_ms']:.0f}%" if ours and theirs else "-"
        overall = f"{100 / timing['ratio']:.0f}%" if timing["ratio"] else "-"
        ours, theirs = timing["runs"].get("modelc-1"), timing["runs"].get("pytorch-1")
        cpu = f"{flops / ours['cpu_median_ms'] / 1e6:.0f} / {flops / theirs['cpu_median_ms'] / 1e6:.0f}" if ours and theirs else "-"
        if ours and peak:
            cpu += f" ({100 * flops / ours['cpu_median_ms'] / 1e6 / peak:.0f}%)"
        print(row + f"{at_top + ', ' + overall:>22}{cpu:>22}" + (" !" if timing["busy"] else ""), file=out)
