#!/usr/bin/env bash
# The GPU benchmark (issue 17), prepared to run in one call on a machine with a CUDA GPU:
#   bash bench/gpu.sh            # tests on the GPU, SGEMM 4096³, the three reference models
#   bash bench/gpu.sh --no-tests # the figures only
#   bash bench/gpu.sh --smoke    # no GPU needed: the script's plumbing on ILGPU's CPU accelerator, tiny sizes
# Prints: the devices ILGPU sees; the GPU test suite's result (on a GPU its CUDA tests run
# instead of skipping); SGEMM 4096³ GFLOP/s on CUDA and on the CPU backend; forward and
# train-step times (ms, mean and min of the timed runs) of the MLP, Macaron and MgNO reference
# models at their benchmark batch and at 8× it, on CUDA and on the CPU backend, same run.
# Every modelc run synchronises the device at the end of each step, so the times are whole steps;
# inputs are copied in once, parameters and optimizer state stay on the device.
set -euo pipefail
cd "$(dirname "$0")/.."
export MODELC_CACHE="${MODELC_CACHE:-$(mktemp -d)}"
dotnet build -c Release compiler/ModelC.Cli -v q -nologo 2>&1 | grep -E "error|Warn|Elapsed" || true
modelc=compiler/ModelC.Cli/bin/Release/net10.0/modelc
gpu=cuda n=4096 scales="1 8" repeat=10
if [[ "${1:-}" == "--smoke" ]]; then
    gpu=ilgpu-cpu n=64 scales=1 repeat=1
fi
"$modelc" devices
if [[ -z "${1:-}" ]]; then
    dotnet test -c Release tests/ModelC.Gpu.Tests -v q -nologo 2>&1 | grep -E "Passed!|Failed!|Skipped |Failed " | head -40 || true
fi

# "  forward: A ms mean, B ms min, …" or "  train step: …" → "A B" (not "M: compiled the train step: …")
times() { grep -E "^ +(forward|train step): [0-9.]+ ms mean" | sed -E 's/.*: ([0-9.]+) ms mean, ([0-9.]+) ms min.*/\1 \2/'; }

echo "== SGEMM ${n}x${n}x${n} (GFLOP/s at the mean and the fastest run)"
for device in "$gpu" cpu; do
    read -r mean min < <("$modelc" run bench/matmul.mdl -D m=$n -D k=$n -D n=$n --device "$device" -r $repeat < /dev/null | times)
    awk -v d="$device" -v n="$n" -v mean="$mean" -v min="$min" 'BEGIN { f = 2 * n^3; printf "%-9s %10.1f GFLOP/s mean  %10.1f GFLOP/s best  (%.3f ms)\n", d, f / mean / 1e6, f / min / 1e6, min }'
done

echo "== reference models: ms per step, mean / min"
printf "%-14s %6s %-6s %24s %24s\n" model batch mode "$gpu" cpu
while read -r name file batch; do
    [[ "$gpu" == ilgpu-cpu ]] && batch=1
    for scale in $scales; do
        b=$((batch * scale))
        for mode in infer train; do
            row=()
            for device in "$gpu" cpu; do
                row+=("$("$modelc" run "$file" -b "$b" --mode "$mode" --device "$device" -r $repeat < /dev/null | times | awk '{ printf "%.3f / %.3f", $1, $2 }')")
            done
            printf "%-14s %6d %-6s %24s %24s\n" "$name" "$b" "$mode" "${row[0]}" "${row[1]}"
        done
    done
done <<'MODELS'
mlp examples/mlp/mlp.mdl 128
macaron examples/macaron/macaron.mdl 16
mgno-poisson examples/mgno/poisson.mdl 8
MODELS
