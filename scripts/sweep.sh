#!/usr/bin/env bash
# How the walk's cost grows with width, depth and input dimension
# (docs/performance.md, "How cost grows"). One thread, release build, random
# networks made here from fixed seeds, so the cases are the same on every
# machine. Each row prints the regions, CPU seconds, regions per CPU second,
# LPs per region and microseconds per LP, and the ratio of its time to the
# sweep's first row that takes at least 0.05 s (CPU time is read in 10 ms
# ticks; shorter rows print "-"), measured in the same run.
#
#   scripts/sweep.sh [quick]
#
# REGIONWALK_BIN=path runs that binary instead of building the release one.
#
# Sweeps:
#   width: one layer of n random lines over the whole plane, n = 50 ... 800,
#          with the default engine (polygons in 2-D) and the LP walk
#          (`--engine dense`, up to n = 400); counts checked against
#          Zaslavsky's 1 + n + C(n, 2);
#   depth: 1 ... 6 hidden layers of width 16, 4 inputs, box [-1, 1]^4;
#   input: d = 2 ... 8 inputs, two layers of width 12, box [-1, 1]^d.
# `quick` runs the small half of each sweep.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-cases.sh

quick=${1:-}
bin=${REGIONWALK_BIN:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin=target/release/regionwalk
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# random_net SEED D W1 W2 ...: He-initialised weights (Gaussian, variance
# 2/fan-in) and small Gaussian biases, one output.
random_net() {
  python3 - "$@" <<'PY'
import json, math, random, sys
seed, d, widths = int(sys.argv[1]), int(sys.argv[2]), [int(w) for w in sys.argv[3:]]
rng = random.Random(seed)
layers, fan_in = [], d
for w in widths + [1]:
    s = math.sqrt(2.0 / fan_in)
    layers.append({"weight": [[rng.gauss(0, s) for _ in range(fan_in)] for _ in range(w)],
                   "bias": [rng.gauss(0, 0.1) for _ in range(w)]})
    fan_in = w
print(json.dumps({"layers": layers}))
PY
}

# run LABEL MODEL DOMAIN-FLAGS...: one row; sets $seconds and $regions.
base=""
run() {
  local label=$1 model=$2
  shift 2
  local out
  out=$( { /usr/bin/time -f "%U %S" "$bin" count "$model" "$@" --threads 1 --json >"$work/out.json"; } 2>&1 | tail -1)
  seconds=$(echo "$out" | awk '{print $1 + $2}')
  read -r regions lps <<<"$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["regions"], j["stats"]["lp_solves"])' "$work/out.json")"
  # The base is the first row long enough for the clock (10 ms ticks).
  if [ -z "$base" ] && awk -v s="$seconds" 'BEGIN { exit !(s >= 0.05) }'; then
    base=$seconds
  fi
  python3 - "$label" "$regions" "$seconds" "$lps" "${base:-}" <<'PY'
import sys
label, regions, seconds, lps = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
base = float(sys.argv[5]) if sys.argv[5] else None
timed = seconds >= 0.05
per_lp = f"{1e6 * seconds / lps:.1f}" if lps and timed else "-"
rate = f"{regions / seconds:,.0f}" if timed else "-"
ratio = f"{seconds / base:.1f}×" if timed and base else "-"
print(f"| {label} | {regions:,} | {seconds:.2f} | {rate} | {lps / regions:.1f} | {per_lp} | {ratio} |")
PY
}

header() {
  echo
  echo "### $1"
  echo
  echo "| case | regions | CPU s | regions/s | LPs/region | µs/LP | time vs first timed row |"
  echo "|---|---|---|---|---|---|---|"
  base=""
}

widths=(50 100 200 400 800)
depths=(1 2 3 4 5 6)
dims=(2 3 4 5 6 7 8)
if [ "$quick" = quick ]; then
  widths=(50 100 200)
  depths=(1 2 3)
  dims=(2 3 4)
fi

for engine in auto dense; do
  header "Width: n random lines over the whole plane, engine $engine"
  for n in "${widths[@]}"; do
    [ "$engine" = dense ] && [ "$n" -gt 400 ] && continue
    lines_net "$n" 7 >"$work/lines.json"
    run "n = $n" "$work/lines.json" --whole --engine "$engine"
    want=$((1 + n + n * (n - 1) / 2))
    [ "$regions" -eq "$want" ] || { echo "n = $n: $regions regions, Zaslavsky says $want" >&2; exit 1; }
  done
done

header "Depth: L layers of width 16, 4 inputs, box [-1, 1]^4"
for l in "${depths[@]}"; do
  random_net 11 4 $(yes 16 | head -n "$l") >"$work/deep.json"
  run "L = $l" "$work/deep.json" --box=-1:1
done

header "Input dimension: d inputs, layers [12, 12], box [-1, 1]^d"
for d in "${dims[@]}"; do
  random_net 13 "$d" 12 12 >"$work/dim.json"
  run "d = $d" "$work/dim.json" --box=-1:1
done
