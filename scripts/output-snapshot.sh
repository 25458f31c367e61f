#!/usr/bin/env bash
# Runs every subcommand on the bundled fixtures and writes what each prints or
# writes into OUTDIR, with timings removed, so that two builds can be compared
# with `diff -r`. Used to check that a refactor changes no output:
#
#   scripts/output-snapshot.sh target/snap /path/to/old/regionwalk
#   mv target/snap target/snap-before
#   scripts/output-snapshot.sh target/snap target/release/regionwalk
#   diff -r target/snap-before target/snap
#
# (The same OUTDIR both times: output files name their own paths.)
#
# Timings ("seconds", "timings", "... s" in text reports) differ run to run and
# are blanked, and so are certificate sizes (the certificate records its run
# time); everything else must match byte for byte.
set -euo pipefail
out=${1:?usage: output-snapshot.sh OUTDIR [BINARY]}
bin=${2:-target/release/regionwalk}
cd "$(dirname "$0")/.."
rm -rf "$out"; mkdir -p "$out"

# Blank timings: JSON keys named seconds / *_seconds / timings, and "0.123 s"
# in text reports.
scrub() {
    sed -E -e 's/"(seconds|[a-z_]*_seconds)": ?[0-9.eE+-]+/"\1": 0/g' \
           -e 's/"seconds": ?\{[^}]*\}/"seconds": {}/g' \
           -e 's/"certificate_bytes": ?[0-9]+/"certificate_bytes": 0/g' -e 's/\([0-9]+ bytes\)/(N bytes)/g' \
           -e 's/"timings": ?\{[^}]*\}/"timings": {}/g' \
           -e 's/[0-9]+\.[0-9]+ s\b/T s/g' -e 's/[0-9]+\.[0-9]+ ?(ms|µs)\b/T \1/g'
}
run() { # name, args...
    local name=$1; shift
    local rc=0
    "$bin" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr" || rc=$?
    echo "$rc" >"$out/$name.rc"
    for f in "$out/$name.stdout" "$out/$name.stderr"; do scrub <"$f" >"$f.tmp" && mv "$f.tmp" "$f"; done
}
scrub_file() { scrub <"$1" >"$1.tmp" && mv "$1.tmp" "$1"; }

n2=fixtures/net2d_16x16.json
acas=fixtures/acasxu_1_1.json
onnx=fixtures/onnx/gemm_transb1.onnx
acas_box=0.6:0.66,-0.5:-0.44,-0.5:-0.44,0.45:0.5,-0.5:-0.45
for t in 1 2; do
    run count_n2_t$t count $n2 --box=-1:1 --threads $t
done
run count_n2_json count $n2 --box=-1:1 --json
run count_n2_linear count $n2 --box=-1:1 --json --linear
run count_n2_slice count $n2 --box=-1:1,0.25:0.25 --json
run count_n2_whole count $n2 --whole --json
run count_acas count $acas --box=$acas_box --json
run count_onnx count $onnx --whole --json
run count_certify count $n2 --box=-1:1 --json --certify
run enum_json enumerate $n2 --box=-1:1 -o "$out/regions.json"
run enum_jsonl enumerate $n2 --box=-1:1 -o "$out/regions.jsonl" --format jsonl --facets
run enum_exact enumerate $n2 --box=-0.5:0.5 -o - --exact
run graph graph $n2 --box=-1:1 --dot "$out/g.dot" --json "$out/g.json" --color output
run graph_text graph $n2 --box=-1:1
run certify certify $n2 --box=-1:1 -o "$out/n2.cert.jsonl" --json
run certify_acas certify $acas --box=$acas_box -o "$out/acas.cert.jsonl.gz"
run verify verify $n2 --box=-1:1 "$out/n2.cert.jsonl" --json
run verify_text verify $n2 --box=-1:1 "$out/n2.cert.jsonl"
run verify_acas verify $acas --box=$acas_box "$out/acas.cert.jsonl.gz"
run sample sample $n2 --box=-1:1 --samples 2000 --seed 7 --exact --json
run sample_text sample $n2 --box=-1:1 --samples 500 --seed 3 --exact
run info info $acas --json
run info_text info $n2 --box=-1:1
run info_nnet info ../shared/data/nnet/TestNetwork.nnet --json
run bad_box count $n2 --box=1:-1
run bad_model count fixtures/onnx/err_sigmoid.onnx --whole
for f in regions.json regions.jsonl g.json n2.cert.jsonl; do scrub_file "$out/$f"; done
gunzip -c "$out/acas.cert.jsonl.gz" | scrub >"$out/acas.cert.jsonl" && rm "$out/acas.cert.jsonl.gz"
echo "snapshot written to $out ($(ls "$out" | wc -l) files)"
