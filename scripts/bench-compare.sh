#!/usr/bin/env bash
# Times two regionwalk binaries against each other, one thread each,
# alternating case by case so both see the same machine load, and prints
# each one's time, the regions/s of the second and the speed-up of the
# second over the first, measured in the same run. Counts must agree.
#
#   scripts/bench-compare.sh OLD_BINARY NEW_BINARY [quick] [EXTRA_FLAGS...]
#
# Build the old one from a commit with, e.g.:
#   git worktree add ../rw-old COMMIT && (cd ../rw-old && cargo build --release)
# `quick` runs the two smallest cases only. EXTRA_FLAGS go to the second
# binary only (e.g. `--float`). Needs ../shared/data beside the repository,
# python3 (for the 400-line net) and jq.
set -euo pipefail
old=${1:?usage: bench-compare.sh OLD_BINARY NEW_BINARY [quick] [FLAGS...]}
new=${2:?usage: bench-compare.sh OLD_BINARY NEW_BINARY [quick] [FLAGS...]}
shift 2
quick=no
if [ "${1:-}" = quick ]; then quick=yes; shift; fi
extra=("$@")
cd "$(dirname "$0")/.."
. scripts/bench-cases.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# 1 + 400 + C(400, 2) = 80,201 regions over the plane.
lines_net 400 1 >"$work/lines400.json"
cases=("${bench_cases[@]}" "400 lines, whole plane|$work/lines400.json|--whole")
if [ $quick = yes ]; then cases=("${cases[1]}" "${cases[5]}"); fi

run() { # binary model domain [flags] -> "regions seconds"
    local bin=$1 model=$2 domain=$3
    shift 3
    "$bin" count "$model" "$domain" --json --threads 1 "$@" | jq -r '"\(.regions) \(.seconds)"'
}
printf '%-26s %9s | %8s %8s | %10s %8s\n' case regions "old s" "new s" "new reg/s" speedup
logsum=0; n=0
for c in "${cases[@]}"; do
    IFS='|' read -r name model domain <<<"$c"
    read -r r1 s1 <<<"$(run "$old" "$model" "$domain")"
    read -r r2 s2 <<<"$(run "$new" "$model" "$domain" ${extra[@]+"${extra[@]}"})"
    [ "$r1" = "$r2" ] || echo "$name: the binaries disagree: $r1 vs $r2 regions" >&2
    awk -v name="$name" -v r="$r2" -v a="$s1" -v b="$s2" 'BEGIN{
        printf "%-26s %9d | %8.3f %8.3f | %10.0f %7.2fx\n", name, r, a, b, r/b, a/b}'
    logsum=$(awk -v a="$logsum" -v x="$s1" -v y="$s2" 'BEGIN{print a + log(x/y)}'); n=$((n + 1))
done
awk -v a="$logsum" -v n="$n" 'BEGIN{printf "geometric mean speed-up of the second binary: %.2fx over %d cases\n", exp(a/n), n}'
