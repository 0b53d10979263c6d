#!/usr/bin/env bash
# Java forward pass vs PyTorch on the same machine: ELECTRA-base-shaped discriminator (random weights),
# batch 8 x 128 tokens, plus the matmul kernel's GFLOP/s on 1024x768 · 768x3072.
# Usage: model-verify/bench/run_bench.sh [batch] [seq] [warmups] [runs]
# PYTHON must have torch and transformers (default: testdata/bench/bench-python.sh builds one); ROUNDS (default 3) alternations.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
root="$(dirname "$module")"
python="${PYTHON:-$("$root/testdata/bench/bench-python.sh")}"
args=("${@}")

echo "== machine"
lscpu | grep -E '^(Model name|CPU\(s\)|Thread|Core)' || true
java -version 2>&1 | head -1

echo "== build"
(cd "$root" && mvn -q -pl model-verify -am install -DskipTests)
classpath="$module/target/classes:$(cd "$module" && mvn -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
mkdir -p "$module/target/bench-classes"
javac -nowarn --release 17 --add-modules jdk.incubator.vector -cp "$classpath" -d "$module/target/bench-classes" \
    $(find "$module/src/bench/java" -name '*.java') 2>&1 | grep -v 'incubat' || true
run_java() {
    java --add-modules jdk.incubator.vector -Xmx6g -cp "$classpath:$module/target/bench-classes" "$@" 2>&1 \
        | grep -v 'WARNING: Using incubator'
}

# the machine may be shared: alternate the two sides for ROUNDS rounds and compare the best medians
rounds="${ROUNDS:-3}"
# this run's figures, in files of its own (two runs at once must not mix their results)
java_log="$(mktemp)"
torch_log="$(mktemp)"
trap 'rm -f "$java_log" "$torch_log"' EXIT
for round in $(seq 1 "$rounds"); do
    echo "== round $round: java"
    run_java io.electraconvert.verify.bench.MatMulBenchmark | tee -a "$java_log"
    run_java io.electraconvert.verify.bench.ForwardBenchmark "${args[@]}" | tee -a "$java_log"
    echo "== round $round: pytorch"
    "$python" "$here/torch_forward.py" "${args[@]}" 2>/dev/null | tee -a "$torch_log"
done

best_median() { grep -o "$1 forward.*median [0-9.]*" "$2" | grep -o '[0-9.]*$' | sort -n | head -1; }
best_gflops() { grep -o "$1 matmul.*, [0-9.]* GFLOP/s (best)" "$2" | grep -o '[0-9.]* GFLOP/s' | sort -n | tail -1; }
java_ms=$(best_median java "$java_log")
torch_ms=$(best_median torch "$torch_log")
echo "== result (best of $rounds rounds)"
echo "matmul 1024x768 · 768x3072: java $(best_gflops java "$java_log"), pytorch $(best_gflops torch "$torch_log")"
awk -v j="$java_ms" -v t="$torch_ms" 'BEGIN { printf "forward: java %.1f ms, pytorch %.1f ms (medians), java/pytorch time ratio %.2f (below 1 = java faster)\n", j, t, j / t }'
