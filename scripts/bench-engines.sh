#!/usr/bin/env bash
# Times `regionwalk count` with each LP engine on the benchmark cases, one
# thread each, alternating engines case by case so both see the same machine
# load, and prints regions/s, LPs per region, µs per LP and the speed-up of the
# dense engine over the reference engine (microlp) measured in the same run.
#
#   cargo build --release && scripts/bench-engines.sh [quick]
#
# `quick` runs the two smallest cases only. Needs ../shared/data beside the
# repository, and jq.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/regionwalk
. scripts/bench-cases.sh
cases=("${bench_cases[@]}")
if [ "${1:-}" = quick ]; then cases=("${cases[1]}" "${cases[5]}"); fi

run() { # engine model domain -> "regions lp_solves seconds"
    "$bin" count "$2" "$3" --json --threads 1 --engine "$1" |
        jq -r '"\(.regions) \(.lp_solves) \(.seconds)"'
}
printf '%-28s %9s | %-7s %9s %8s %7s %7s | %s\n' case regions engine seconds "regions/s" "LP/reg" "µs/LP" speedup
logsum=0; n=0
for c in "${cases[@]}"; do
    IFS='|' read -r name model domain <<<"$c"
    read -r r1 l1 s1 <<<"$(run microlp "$model" "$domain")"
    read -r r2 l2 s2 <<<"$(run dense "$model" "$domain")"
    [ "$r1" = "$r2" ] || { echo "$name: the engines disagree: $r1 vs $r2 regions" >&2; exit 1; }
    for e in microlp dense; do
        if [ $e = microlp ]; then r=$r1 l=$l1 s=$s1; else r=$r2 l=$l2 s=$s2; fi
        ratio=$(awk -v a="$s1" -v b="$s" 'BEGIN{printf "%.2f", a/b}')
        awk -v name="$name" -v r="$r" -v e="$e" -v l="$l" -v s="$s" -v ratio="$ratio" 'BEGIN{
            printf "%-28s %9d | %-7s %9.2f %8.0f %7.1f %7.1f | %sx\n", name, r, e, s, r/s, l/r, 1e6*s/l, ratio}'
    done
    logsum=$(awk -v a="$logsum" -v x="$s1" -v y="$s2" 'BEGIN{print a + log(x/y)}'); n=$((n + 1))
done
awk -v a="$logsum" -v n="$n" 'BEGIN{printf "geometric mean speed-up of dense over microlp: %.2fx over %d cases\n", exp(a/n), n}'
