#!/usr/bin/env bash
# A count too long for one sitting, run in resumed segments: one thread at
# the lowest priority (so it can share a machine), a checkpoint between
# segments, a JSON progress line every 5 s, and peak memory per segment
# from /usr/bin/time -v. docs/performance.md ("Resuming") reports the run of
# ACAS Xu N1,1 over its whole NNet box made this way:
#
#   scripts/long-count.sh /some/dir 05:35 ../shared/data/nnet/TestNetwork2.nnet
#
# Usage: scripts/long-count.sh WORKDIR UNTIL MODEL [DOMAIN FLAGS...]
#   WORKDIR  where the checkpoint `ck` and each segment's `out.N` (the count
#            report), `err.N` (progress lines) and `time.N` go; keep it
#            outside the repository. Run again with the same WORKDIR to go on.
#   UNTIL    when to stop, a time `date -d` reads (e.g. 05:35)
#   MODEL    the model; DOMAIN FLAGS default to the model's own box (NNet)
# Env: BIN (default target/release/regionwalk), SEGMENT seconds (default 1200).
# Summarise with scripts/long-count-summary.py WORKDIR.
set -euo pipefail
bin=$(realpath "${BIN:-target/release/regionwalk}")
work=$1 until=$(date -d "$2" +%s) model=$(realpath "$3")
shift 3
mkdir -p "$work"
cd "$work"
seg=$(ls out.* 2>/dev/null | sed 's/out\.//' | sort -n | tail -1 || true)
seg=${seg:-0}
if [ "$seg" -gt 0 ] && [ ! -f ck ]; then
  echo "$work: the run has completed (no checkpoint left); see out.$seg" >&2
  exit 0
fi
while :; do
  left=$((until - $(date +%s)))
  [ "$left" -le 5 ] && break
  t=${SEGMENT:-1200}
  [ "$left" -lt "$t" ] && t=$left
  seg=$((seg + 1))
  if [ -f ck ]; then resume=(--resume ck); else resume=(--checkpoint ck); fi
  echo "segment $seg: $(date -u +%T) UTC, --time-limit $t ${resume[*]}"
  rc=0
  /usr/bin/time -v -o "time.$seg" nice -n 19 "$bin" count "$model" "$@" \
    --threads 1 --json --quiet --progress-json 5 --time-limit "$t" "${resume[@]}" \
    >"out.$seg" 2>"err.$seg" || rc=$?
  [ "$rc" -eq 3 ] || { echo "segment $seg ended with exit code $rc"; break; }
done
