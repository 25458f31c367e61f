#!/usr/bin/env bash
# Peak memory against region count: one hidden layer of n random lines in
# the plane, walked over all of R^2. Lines in general position cut the plane
# into 1 + n + C(n,2) regions (Zaslavsky), so the count is known in advance.
#
# Usage: scripts/memory-curve.sh [BINARY] [N...]
#   BINARY  default target/release/regionwalk (build it with
#           `cargo build --release` first)
#   N...    numbers of lines, default 100 400 1000 2000
# Prints one row per (command, n): regions, peak RSS in MB, seconds.
# Needs GNU time at /usr/bin/time (for its maximum resident set size).
set -euo pipefail
bin=$(realpath "${1:-target/release/regionwalk}")
cd "$(dirname "$0")/.."
. scripts/bench-cases.sh
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 400 1000 2000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

peak() { # command... -> "peak_MB seconds" of the command, output discarded
  /usr/bin/time -v "$@" >/dev/null 2>"$work/time" || { cat "$work/time" >&2; return 1; }
  awk -F: '/Maximum resident set size/ {kb=$2} /Elapsed \(wall clock\)/ {
      n=split($0, p, ":"); s=p[n]; m=p[n-1]; t=m*60+s }
    END {printf "%.1f %.1f", kb/1024, t}' "$work/time"
}

printf '%-22s %6s %10s %10s %8s\n' command lines regions peak_MB seconds
for n in "${sizes[@]}"; do
  lines_net "$n" 1 >"$work/net.json"
  regions=$(( 1 + n + n * (n - 1) / 2 ))
  for cmd in count enumerate-file enumerate-pipe; do
    case $cmd in
      count) m=$(peak "$bin" count "$work/net.json" --whole) ;;
      enumerate-file) m=$(peak "$bin" enumerate "$work/net.json" --whole -o "$work/r.jsonl"); rm -f "$work/r.jsonl" ;;
      enumerate-pipe) m=$(peak sh -c "'$bin' enumerate '$work/net.json' --whole -o - | wc -l") ;;
    esac
    printf '%-22s %6s %10s %10s %8s\n' "$cmd" "$n" "$regions" $m
  done
done
