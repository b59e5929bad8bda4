#!/usr/bin/env bash
# Coverage-guided fuzzing of the readers of untrusted files, on demand (never in CI): builds the
# targets (ModelC.Fuzz), instruments ModelC.Data and ModelC.Runtime with SharpFuzz, then runs
# afl-fuzz on each target in turn from its committed seed corpus (corpus/TARGET).
#
#   bash tests/fuzz/fuzz.sh [--seconds N] [--out DIR] [TARGET...]
#
# Targets: npy npz csv safetensors manifest (default: all). N seconds each (default 600).
# Needs afl-fuzz (apt-get install afl++); installs the SharpFuzz tool into DIR. Prints, per
# target, the executions, crashes and hangs; findings are under DIR/findings/TARGET/default/
# (replay one: dotnet DIR/bin/ModelC.Fuzz.dll TARGET < FILE). Exit 1 when any target crashed or hung.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
seconds=600
out="${TMPDIR:-/tmp}/modelc-fuzz"
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(npy npz csv safetensors manifest)
command -v afl-fuzz >/dev/null || { echo "fuzz.sh: afl-fuzz not found; install AFL++ (apt-get install afl++)" >&2; exit 2; }

mkdir -p "$out"
dotnet build "$here/ModelC.Fuzz" -c Release -o "$out/bin" --nologo -v q
if [ ! -x "$out/tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$out/tools" >/dev/null
fi
# Instrumenting twice fails, so each build instruments fresh copies.
for assembly in ModelC.Data.dll ModelC.Runtime.dll; do
  "$out/tools/sharpfuzz" "$out/bin/$assembly"
done

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
status=0
for target in "${targets[@]}"; do
  findings="$out/findings/$target"
  rm -rf "$findings" && mkdir -p "$out/findings"
  # -t: a .NET process starts in about a second on a loaded machine; an input that takes 10 s is a hang.
  afl-fuzz -V "$seconds" -t 10000 -m none -i "$here/corpus/$target" -o "$findings" -- dotnet "$out/bin/ModelC.Fuzz.dll" "$target" >"$out/$target.log" 2>&1 || true
  stats="$findings/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    echo "$target: afl-fuzz did not start (see $out/$target.log)"; status=1; continue
  fi
  value() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  echo "$target: $(value execs_done) executions in $(value run_time) s, $(value saved_crashes) crashes, $(value saved_hangs) hangs, $(value corpus_count) inputs in the queue"
  if [ "$(value saved_crashes)" != 0 ] || [ "$(value saved_hangs)" != 0 ]; then status=1; fi
done
exit $status
