# Sourced by the benchmark scripts: the benchmark cases and the random-lines
# net. Run from the repository's root; needs ../shared/data beside it.
#
# bench_cases: "name|model|domain flag", one thread each in the scripts.
data=../shared/data
acas=$data/acasxu
bench_cases=(
    "ACAS Xu N2,1, prop-3 box|$acas/ACASXU_run2a_2_1_batch_2000.onnx|--vnnlib=$acas/prop_3.vnnlib"
    "ACAS Xu N1,1, prop-4 box|$acas/ACASXU_run2a_1_1_batch_2000.onnx|--vnnlib=$acas/prop_4.vnnlib"
    "ACAS Xu N1,1, prop-3 box|$acas/ACASXU_run2a_1_1_batch_2000.onnx|--vnnlib=$acas/prop_3.vnnlib"
    "random d=4, [20,20]|$data/bench/rand_d4_20x2.json|--box=-1:1"
    "random d=8, [10,10]|$data/bench/rand_d8_10x2.json|--box=-1:1"
    "random d=2, [64,64,64]|$data/bench/rand_d2_64x3.json|--box=-1:1"
)

# lines_net N SEED: a JSON model with one hidden layer of N random lines
# (Gaussian coefficients from Python's random with SEED), in general
# position with probability one: 1 + N + C(N, 2) regions over the plane
# (Zaslavsky).
lines_net() {
  python3 - "$1" "$2" <<'PY'
import json, random, sys
n, seed = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
w = [[rng.gauss(0, 1), rng.gauss(0, 1)] for _ in range(n)]
b = [rng.gauss(0, 1) for _ in range(n)]
print(json.dumps({"layers": [{"weight": w, "bias": b},
                             {"weight": [[1.0] * n], "bias": [0.0]}]}))
PY
}
