#!/usr/bin/env bash
# Regenerates the C# lexer and parser from ModelC.g4 with the pinned antlr-ng (ANTLR 4.13.2).
# Usage: bash grammar/generate.sh [output-dir]   (default: grammar/Generated)
# The staleness test runs this into a temporary folder and compares with the committed files.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/Generated}"
tool="$here/node_modules/.bin/antlr-ng"
if [ ! -x "$tool" ]; then
  echo "antlr-ng is not installed; run: npm ci --prefix grammar" >&2
  exit 3
fi
rm -rf "$out"
mkdir -p "$out"
cd "$here"
"$tool" -Dlanguage=CSharp --package ModelC.Grammar --generate-visitor true --generate-listener false -w true -o "$out" ModelC.g4
# Drop the tool's interpreter side files; only C# is compiled.
rm -f "$out"/*.interp "$out"/*.tokens
