#!/usr/bin/env bash
# Times nnenum and `regionwalk count --threads 1` side by side on the five
# benchmark cases of issue 10, both pinned to one core (`taskset -c 0`), in
# one run, alternating which of the two goes first case by case so both see
# the same machine load. Checks that both count the same regions and prints
# both times, the ratio nnenum / regionwalk, and the geometric mean.
#
#   cargo build --release && scripts/bench-nnenum.sh [quick]
#
# `quick` runs the two smallest cases only. Needs ../shared/data beside the
# repository, jq, taskset, and nnenum 1.0.1 installed outside the repository:
#
#   git clone https://github.com/stanleybak/nnenum
#   python3 -m venv nnenum-venv
#   nnenum-venv/bin/pip install ./nnenum   # its deps: numpy, scipy, swiglpk, onnx, onnxruntime, ...
#
# then point the script at that python (and, if nnenum is not installed in
# it, at the clone):
#
#   NNENUM_PYTHON=nnenum-venv/bin/python [NNENUM_DIR=nnenum] scripts/bench-nnenum.sh
#
# nnenum runs through scripts/nnenum_count.py: exact mode, one process, no
# specification, so it enumerates every star in the box (see that script's
# header for the settings). Times are process wall times (start to exit,
# including Python's imports and the model load); the "inner" columns are
# each tool's own timer of its walk (nnenum's `enumerate_network`,
# regionwalk's JSON "seconds").
#
# With BENCH_RT=1 both tools run at real-time priority (`chrt -f 10`;
# needs root or CAP_SYS_NICE), so other work on a shared machine cannot
# take core 0 from either (it still runs on the other core).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/regionwalk
rt=()
[ "${BENCH_RT:-0}" = 1 ] && rt=(chrt -f 10)
py=${NNENUM_PYTHON:-python3}
export NNENUM_DIR=${NNENUM_DIR:-}

. scripts/bench-cases.sh
# The five cases of issue 10 (the 2-D net has no nnenum time).
cases=("${bench_cases[@]:0:5}")
if [ "${1:-}" = quick ]; then cases=("${cases[0]}" "${cases[1]}"); fi
[ -x "$bin" ] || { echo "no $bin: run cargo build --release first" >&2; exit 1; }
"$py" -c 'import nnenum' 2>/dev/null || [ -n "$NNENUM_DIR" ] ||
    { echo "$py cannot import nnenum: set NNENUM_PYTHON (and NNENUM_DIR), see this script's header" >&2; exit 1; }

# Runs a command pinned to core 0, its stdout to $out and stderr to $err, and
# sets `wall` (process wall time) and `cpu` (user + sys of the process and
# the children it waited for), in seconds.
out=$(mktemp); err=$(mktemp); trap 'rm -f "$out" "$err"' EXIT
timed() {
    local TIMEFORMAT='%R %U %S' t u s
    if ! t=$({ time "${rt[@]}" taskset -c 0 "$@" >"$out" 2>"$err"; } 2>&1); then
        echo "failed: $*" >&2; cat "$err" >&2; exit 1
    fi
    read -r wall u s <<<"$t"
    cpu=$(awk -v u="$u" -v s="$s" 'BEGIN{print u + s}')
}
# run TOOL MODEL DOMAIN: sets regions, inner (the tool's own timer), wall, cpu.
run() {
    if [ "$1" = nnenum ]; then
        timed "$py" scripts/nnenum_count.py "$2" "$3"
    else
        timed "$bin" count "$2" "$3" --threads 1 --json
    fi
    read -r regions inner < <(jq -r '"\(.regions) \(.seconds)"' "$out")
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| case | regions | nnenum s | nnenum inner s | nnenum CPU s | regionwalk s | regionwalk inner s | regionwalk CPU s | ratio | ratio (inner) | ratio (CPU) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
logs="0 0 0"; n=0
for c in "${cases[@]}"; do
    IFS='|' read -r name model domain <<<"$c"
    if [ $((n % 2)) = 0 ]; then order="nnenum regionwalk"; else order="regionwalk nnenum"; fi
    for tool in $order; do
        run "$tool" "$model" "$domain"
        if [ "$tool" = nnenum ]; then r1=$regions i1=$inner w1=$wall c1=$cpu; else r2=$regions i2=$inner w2=$wall c2=$cpu; fi
    done
    [ "$r1" = "$r2" ] || { echo "$name: the counts disagree: nnenum $r1, regionwalk $r2 regions" >&2; exit 1; }
    awk -v name="$name" -v r="$r1" -v i1="$i1" -v w1="$w1" -v c1="$c1" -v i2="$i2" -v w2="$w2" -v c2="$c2" 'BEGIN{
        rs = sprintf("%d", r); for (k = length(rs) - 3; k > 0; k -= 3) rs = substr(rs, 1, k) "," substr(rs, k + 1)
        printf "| %s | %s | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f | %.1f× | %.1f× | %.1f× |\n",
            name, rs, w1, i1, c1, w2, i2, c2, w1/w2, i1/i2, c1/c2}'
    logs=$(awk -v l="$logs" -v w1="$w1" -v w2="$w2" -v i1="$i1" -v i2="$i2" -v c1="$c1" -v c2="$c2" 'BEGIN{
        split(l, a, " "); print a[1] + log(w1/w2), a[2] + log(i1/i2), a[3] + log(c1/c2)}')
    n=$((n + 1))
done
awk -v l="$logs" -v n="$n" 'BEGIN{split(l, a, " ")
    printf "geometric mean over %d cases: regionwalk is %.1f× nnenum (process wall time), %.1f× (inner timers), %.1f× (CPU time)\n",
        n, exp(a[1]/n), exp(a[2]/n), exp(a[3]/n)}'
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
