#!/usr/bin/env bash
# Times `count` on one thread and on two, alternating, on the benchmark
# cases, and prints each one's walk time (the JSON "seconds", median of
# REPEATS runs), the speed-up of two threads over one measured in the same
# run, and the load average before and after (two threads need both cores:
# on a shared machine the speed-up reads low). Counts must agree.
#
#   cargo build --release && scripts/bench-threads.sh [REPEATS] [BINARY]
#
# REPEATS defaults to 3. Needs ../shared/data beside the repository and jq.
#
# The "two-core ceiling" column is what the machine itself allows: in each
# repeat two independent one-thread counts also run at the same time, and
# the ceiling is 2 × (one thread alone) / (one thread beside another).
# Whatever else runs on the machine takes its time from one of two busy
# cores, where a one-thread run leaves it the idle one: on this project's
# machine the ceiling read 1.76-1.97x at normal priority and 1.97-2.04x
# with BENCH_RT=1. "of ceiling" is the speed-up over the ceiling: the part
# the walk itself loses (its breadth-first frontier, the last subtrees,
# handing regions across threads).
#
# With BENCH_RT=1 each run gets real-time priority (`chrt -f 10`; needs
# root or CAP_SYS_NICE), so that other work on the machine cannot take one
# of the two cores: the number is the walk's scaling on two cores of its
# own. At normal priority two threads read lower even on an idle machine
# (ACAS Xu 1.5-1.9x against 1.8-1.9x; docs/performance.md, "Threads"),
# and that is what a user sees.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}
bin=${2:-target/release/regionwalk}
rt=()
[ "${BENCH_RT:-0}" = 1 ] && rt=(chrt -f 10)
. scripts/bench-cases.sh
[ -x "$bin" ] || { echo "no $bin: run cargo build --release first" >&2; exit 1; }
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
printf '| case | regions | 1 thread s | 2 threads s | speed-up | two-core ceiling | of ceiling |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n'
logsum=0; n=0
for c in "${bench_cases[@]}"; do
    IFS='|' read -r name model domain <<<"$c"
    one=(); two=(); side=(); regions=""
    for _ in $(seq "$repeats"); do
        for t in 1 2; do
            read -r r s <<<"$("${rt[@]}" "$bin" count "$model" "$domain" --json --threads $t | jq -r '"\(.regions) \(.seconds)"')"
            if [ -n "$regions" ] && [ "$r" != "$regions" ]; then
                echo "counts differ on $name: $regions and $r" >&2; exit 1
            fi
            regions=$r
            if [ $t = 1 ]; then one+=("$s"); else two+=("$s"); fi
        done
        # Two one-thread counts at once: each one's walk time.
        pair=$(mktemp)
        "${rt[@]}" "$bin" count "$model" "$domain" --json --threads 1 | jq -r .seconds >"$pair" &
        side+=("$("${rt[@]}" "$bin" count "$model" "$domain" --json --threads 1 | jq -r .seconds)")
        wait
        side+=("$(cat "$pair")")
        rm -f "$pair"
    done
    m1=$(printf '%s\n' "${one[@]}" | median)
    m2=$(printf '%s\n' "${two[@]}" | median)
    m0=$(printf '%s\n' "${side[@]}" | median)
    ratio=$(awk -v a="$m1" -v b="$m2" 'BEGIN{printf "%.2f", a / b}')
    ceiling=$(awk -v a="$m1" -v b="$m0" 'BEGIN{printf "%.2f", 2 * a / b}')
    share=$(awk -v r="$ratio" -v c="$ceiling" 'BEGIN{printf "%.0f%%", 100 * r / c}')
    logsum=$(awk -v s="$logsum" -v r="$ratio" 'BEGIN{print s + log(r)}'); n=$((n + 1))
    printf '| %s | %s | %.3f | %.3f | %s× | %s× | %s |\n' "$name" "$regions" "$m1" "$m2" "$ratio" "$ceiling" "$share"
done
awk -v s="$logsum" -v n="$n" 'BEGIN{printf "geometric mean speed-up of two threads: %.2fx over %d cases\n", exp(s / n), n}'
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
