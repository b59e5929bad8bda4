#!/usr/bin/env bash
# Times ModelC against PyTorch on the reference models and GEMM against numpy (see forward.py).
# Needs /usr/bin/python3 with torch and numpy, and OpenBLAS behind them for a fair comparison
# (Debian's default libblas3 is the slow reference BLAS): apt-get install -y python3-torch libopenblas0-pthread
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build compiler/ModelC.Cli -c Release -v quiet -nologo >/dev/null
OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-$(nproc)}" /usr/bin/python3 bench/forward.py "$@"
