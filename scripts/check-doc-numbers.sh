#!/usr/bin/env bash
# Checks the region counts that README.md and docs/*.md quote from runs too
# long for `cargo test` (release build: about a minute in all): the six
# benchmark cases, the MNIST plane and the 400-line plane. Each count is run
# here and compared with every table row and sentence of the docs that
# quotes it; a mismatch, or a number no doc quotes, fails the script.
#
# The quick numbers (the 2-D fixture, two moons, ACAS Xu N1,1 on property 4
# in the README, the Zaslavsky counts) are checked by tests/doc_numbers.rs.
# Independent answers, where one exists: nnenum counts the five 5-D and
# more cases the same (scripts/bench-nnenum.sh, docs/performance.md); the
# 400 lines are in general position, so 1 + n + C(n, 2) (Zaslavsky), which
# is checked here too; the 2-D random net and the MNIST plane have the
# exact polygon oracle of the tests (too slow at these sizes to run here).
#
# Usage: scripts/check-doc-numbers.sh [BINARY]
#   BINARY  default target/release/regionwalk (`cargo build --release`)
# Needs ../shared/data beside the repository, python3.
set -euo pipefail
bin=$(realpath "${1:-target/release/regionwalk}")
cd "$(dirname "$0")/.."
. scripts/bench-cases.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

commas() { sed -E ':a;s/^([0-9]+)([0-9]{3})/\1,\2/;ta'; }

count() { # model domain-flags... -> the region count
  "$bin" count "$@" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["regions"])'
}

# check NAME COUNT: every row of a table of the docs whose second column is
# `regions` and whose first cell starts with NAME must give COUNT there; at
# least one row must.
check() {
  local name=$1 got=$2
  python3 - "$name" "$got" README.md docs/*.md <<'PY' || failed=1
import re, sys
name, got, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
seen = 0
bad = []
for path in files:
    header = []
    for i, line in enumerate(open(path), 1):
        cells = [c.strip() for c in line.split("|")]
        if not line.startswith("|"):
            header = []
        elif not header:
            header = cells
        # Rows of tables whose second column is the region count.
        counts = len(header) > 3 and header[2] == "regions"
        if counts and len(cells) > 3 and cells[1].startswith(name):
            m = re.match(r"[\d,]+", cells[2])
            if not m:
                continue
            seen += 1
            if int(m.group().replace(",", "")) != got:
                bad.append(f"{path}:{i}: {cells[2]}")
print(f"{name}: {got} regions, {seen} rows of the docs", "agree" if not bad else "DISAGREE")
for b in bad:
    print("   ", b)
sys.exit(1 if bad or seen == 0 else 0)
PY
}

for case in "${bench_cases[@]}"; do
  IFS='|' read -r name model domain <<<"$case"
  check "$name" "$(count "$model" "$domain")"
done

# The nnenum sentence of docs/performance.md lists the five cases' counts.
nnenum=$(grep -A1 'nnenum counts exactly' docs/performance.md | tr -d '\n' | grep -o '([0-9, ]*)' | head -1)
for case in "${bench_cases[@]:0:5}"; do
  IFS='|' read -r name model domain <<<"$case"
  n=$(count "$model" "$domain" | commas)
  case "$nnenum" in
    *"$n"*) ;;
    *) echo "docs/performance.md: the nnenum sentence $nnenum lacks $n ($name)"; failed=1 ;;
  esac
done

# docs/sampling.md's real network: ACAS Xu N1,1 on property 3.
IFS='|' read -r name model domain <<<"${bench_cases[2]}"
r=$(count "$model" "$domain" | commas)
if grep -q "has R = $r regions" docs/sampling.md; then
  echo "$name: R = $r in docs/sampling.md"
else
  echo "docs/sampling.md does not quote R = $r for $name"; failed=1
fi

# 400 random lines over the plane: Zaslavsky, and the docs.
lines_net 400 1 >"$work/lines.json"
got=$(count "$work/lines.json" --whole)
[ "$got" = $((1 + 400 + 400 * 399 / 2)) ] || { echo "400 lines: $got, not Zaslavsky's"; failed=1; }
check "400 random lines, whole plane" "$got"

# The MNIST plane of docs/pictures.md and docs/certificate.md.
mnist=$data/mnistfc
python3 scripts/mnist_plane.py "$mnist/prop_0_0.03.vnnlib" "$mnist/prop_2_0.03.vnnlib" "$work"
got=$(count "$mnist/mnist-net_256x2.onnx" --plane "$work/mnist_plane.csv")
for quote in "docs/pictures.md:\*\*$got regions\*\*" \
             "docs/certificate.md:MNIST plane, $(echo "$got" | commas) regions"; do
  file=${quote%%:*}; text=${quote#*:}
  if grep -q "$text" "$file"; then
    echo "MNIST plane: $got regions, quoted in $file"
  else
    echo "MNIST plane: $got regions, not quoted as \`$text\` in $file"; failed=1
  fi
done

exit $failed
