#!/usr/bin/env bash
# Publishes modelc as README.md installs it (ReadyToRun for this machine) into out/modelc and prints
# the command that runs it; the compile figures time what users run, not the JIT-only `dotnet build`.
# Where the publish fails (the crossgen2 package neither in the NuGet cache nor downloadable), it
# builds modelc in Release instead, says so on stderr and prints that command.
set -euo pipefail
cd "$(dirname "$0")/.."
if dotnet publish compiler/ModelC.Cli -c Release --use-current-runtime -o out/modelc -v quiet -nologo >&2; then
  echo "dotnet '$PWD/out/modelc/modelc.dll'"
else
  echo "bench: could not publish modelc ReadyToRun; timing the JIT-only Release build (compile times about 0.3 s CPU higher)" >&2
  dotnet build compiler/ModelC.Cli -c Release -v quiet -nologo >&2
  echo "dotnet '$PWD/compiler/ModelC.Cli/bin/Release/net10.0/modelc.dll'"
fi
