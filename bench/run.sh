#!/usr/bin/env bash
# ModelC against PyTorch: forward and train step of every benchmark model, compile time, peak
# memory and GEMM GFLOP/s (bench/README.md). Arguments go to bench.py: --smoke, --only REGEX, --reps N, ...
# Needs /usr/bin/python3 with torch and numpy over OpenBLAS (Debian: apt-get install -y
# python3-torch libopenblas0-pthread); without them it measures ModelC alone.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build compiler/ModelC.Cli -c Release -v quiet -nologo >/dev/null
# The compile figures time modelc as README.md installs it (ReadyToRun), what users run.
modelc="$(bash bench/publish_modelc.sh)"
dotnet build bench/ModelC.Bench -c Release -v quiet -nologo >/dev/null
exec /usr/bin/python3 -B bench/bench.py --modelc "$modelc" "$@"
