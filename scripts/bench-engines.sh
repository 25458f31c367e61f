#!/usr/bin/env bash
# Times `regionwalk count` with each engine on the benchmark cases, one
# thread each, alternating engines case by case so all see the same machine
# load, and prints regions/s, LPs per region, µs per LP and the speed-up over
# the case's first engine, measured in the same run.
#
#   cargo build --release && scripts/bench-engines.sh [quick]
#
# Engines: microlp (the reference LP engine), dense (the dense simplex for
# every side test) and, on the two-coordinate cases, auto (the default: the
# polygon walk, no LPs). The 400-line case (one layer of 400 random lines
# over the whole plane, 80,201 regions by Zaslavsky) leaves microlp out: it
# takes minutes there. `quick` runs the two smallest LP cases and the 2-D
# ones. Needs ../shared/data beside the repository, python3 and jq.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/regionwalk
. scripts/bench-cases.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lines_net 400 1 >"$work/lines400.json"
# Each case with the engines to time, the first being the reference.
engines=("microlp dense" "microlp dense" "microlp dense" "microlp dense" "microlp dense" "microlp dense auto")
cases=()
for i in "${!bench_cases[@]}"; do cases+=("${bench_cases[$i]}|${engines[$i]}"); done
cases+=("400 lines, whole plane|$work/lines400.json|--whole|dense auto")
if [ "${1:-}" = quick ]; then cases=("${cases[1]}" "${cases[5]}" "${cases[6]}"); fi

run() { # engine model domain -> "regions lp_solves seconds"
    "$bin" count "$2" "$3" --json --threads 1 --engine "$1" |
        jq -r '"\(.regions) \(.lp_solves) \(.seconds)"'
}
printf '%-28s %9s | %-7s %9s %9s %7s %7s | %s\n' case regions engine seconds "regions/s" "LP/reg" "µs/LP" speedup
logsum=0; n=0
for c in "${cases[@]}"; do
    IFS='|' read -r name model domain engines <<<"$c"
    read -ra list <<<"$engines"
    first="" r0="" s0="" s_microlp="" s_dense=""
    for e in "${list[@]}"; do
        read -r r l s <<<"$(run "$e" "$model" "$domain")"
        if [ -z "$first" ]; then first=$e r0=$r s0=$s; fi
        [ "$r" = "$r0" ] || { echo "$name: $e finds $r regions, $first $r0" >&2; exit 1; }
        [ "$e" = microlp ] && s_microlp=$s
        [ "$e" = dense ] && s_dense=$s
        awk -v name="$name" -v r="$r" -v e="$e" -v l="$l" -v s="$s" -v s0="$s0" -v first="$first" 'BEGIN{
            lpr = l / r; us = l > 0 ? sprintf("%7.1f", 1e6 * s / l) : "      -"
            printf "%-28s %9d | %-7s %9.3f %9.0f %7.1f %s | %.2fx %s\n", name, r, e, s, r/s, lpr, us, s0/s, first}'
    done
    if [ -n "$s_microlp" ] && [ -n "$s_dense" ]; then
        logsum=$(awk -v a="$logsum" -v x="$s_microlp" -v y="$s_dense" 'BEGIN{print a + log(x/y)}'); n=$((n + 1))
    fi
done
awk -v a="$logsum" -v n="$n" 'BEGIN{if (n) printf "geometric mean speed-up of dense over microlp: %.2fx over %d cases\n", exp(a/n), n}'
