#!/usr/bin/env bash
# Runs every test of the repository. Installs the one tool the tests need beyond the .NET SDK:
# antlr-ng (npm), which the grammar staleness test runs to regenerate the parser.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ ! -x grammar/node_modules/.bin/antlr-ng ]; then
  echo "installing antlr-ng (grammar/package-lock.json)..."
  npm ci --prefix grammar --no-audit --no-fund --loglevel=error
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test ModelC.sln --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line over all test projects: "N passed, N failed, N skipped".
awk '/(Passed|Failed)!  -/ {
       for (i = 1; i <= NF; i++) {
         gsub(",", "", $(i+1));
         if ($i == "Failed:") f += $(i+1);
         if ($i == "Passed:") p += $(i+1);
         if ($i == "Skipped:") s += $(i+1);
       }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
