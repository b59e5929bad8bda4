#!/usr/bin/env bash
# Data-parallel training on MPI: step time and allreduce share for N = 1, 2 on the reference
# models, and an extrapolation to N hosts (docs/distributed.md). Needs Open MPI (mpirun, mpicc: openmpi-bin libopenmpi-dev) and
# /usr/bin/python3 with numpy. Arguments go to bench/distributed.py: --steps N, --only REGEX, --json FILE.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build compiler/ModelC.Cli -c Release -v quiet -nologo >/dev/null
exec /usr/bin/python3 -B bench/distributed.py "$@"
