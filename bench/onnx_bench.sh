#!/usr/bin/env bash
# ModelC against ONNX Runtime (CPU execution provider), one thread each, forward time per run at
# batch 8: every example model, exported by ModelC, and three ONNX files PyTorch wrote (imported).
# The two alternate repetition by repetition; prints the median and minimum per-thread CPU and
# wall-clock milliseconds, the ratios ModelC / ORT of the CPU times, and writes every repetition to
# a JSON file (default out/bench/onnx-DATE.json; bench/README.md).
# Usage: bash bench/onnx_bench.sh [REPS] [--block-ms MS] [--json PATH] [--ort-profile DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
reps=20
if [[ $# -gt 0 && $1 != --* ]]; then
  reps="$1"
  shift
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/onnx_models.py "$work" >/dev/null 2>&1
dotnet build bench/ModelC.OnnxBench -c Release -v q --nologo >/dev/null
export OMP_WAIT_POLICY=PASSIVE
dotnet bench/ModelC.OnnxBench/bin/Release/net10.0/modelc-onnx-bench.dll "$root/stdlib" 8 "$reps" \
  --commit "$(git describe --always --dirty 2>/dev/null || echo unknown)" "$@" \
  --mdl examples/mlp/mlp.mdl Mlp \
  --mdl examples/einspace/conv_net.mdl ConvNet \
  --mdl examples/einspace/resnet18.mdl ResNet18 \
  --mdl examples/einspace/attention.mdl Attention \
  --mdl examples/einspace/vit.mdl Vit \
  --mdl examples/einspace/vit.mdl Mixer \
  --mdl examples/macaron/macaron.mdl Macaron \
  --mdl examples/macaron/reverse.mdl Reverse \
  --mdl examples/mgno/poisson.mdl Poisson \
  --mdl examples/mgno/poisson_deep.mdl PoissonDeep \
  --mdl examples/mgno/darcy.mdl Darcy \
  --mdl examples/more/families.mdl GluFfn \
  --mdl examples/more/families.mdl SeluNet \
  --mdl examples/more/families.mdl Kan \
  --mdl examples/more/families.mdl Hopfield \
  --mdl examples/more/families.mdl DeepONet \
  --onnx "$work/torch_mlp.onnx" \
  --onnx "$work/torch_cnn.onnx" \
  --onnx "$work/torch_encoder.onnx"
