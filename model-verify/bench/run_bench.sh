#!/usr/bin/env bash
# Java forward pass vs PyTorch on the same machine, side by side: ELECTRA-base-shaped discriminator on 8 x 128
# tokens and ELECTRA-small-shaped on 1 x 128 (one sentence, as `predict` runs it), random weights, THREADS threads
# on both sides; plus the matmul kernel's GFLOP/s on 1024x768 · 768x3072.
# Usage: model-verify/bench/run_bench.sh
# Environment: ROUNDS (3) rounds, each running every case in Java and in PyTorch back to back (the side that goes
# first alternates); THREADS (2, at least 2); CASES ("base 8 128 3 10,small 1 128 50 200": model, batch, sequence
# length, warm-up runs, timed runs); PYTHON with torch and transformers (default: testdata/bench/bench-python.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
root="$(dirname "$module")"
python="${PYTHON:-$("$root/testdata/bench/bench-python.sh")}"
rounds="${ROUNDS:-3}"
threads="${THREADS:-2}"
IFS=, read -r -a cases <<< "${CASES:-base 8 128 3 10,small 1 128 50 200}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== machine"
lscpu | grep -E '^(Model name|CPU\(s\)|Thread|Core)' || true
java -version 2>&1 | head -1

echo "== build"
# package (not install: the local repository may be shared), the classpath resolved within the same reactor
(cd "$root" && mvn -B -q -pl model-verify -am package -DskipTests dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/classpath.txt")
classpath="$module/target/classes:$(cat "$work/classpath.txt")"
javac -nowarn --release 17 --add-modules jdk.incubator.vector -cp "$classpath" -d "$work/classes" \
    $(find "$module/src/bench/java" -name '*.java') 2>&1 | grep -v 'incubat' || true
run_java() {
    # the common pool's workers plus the calling thread
    java --add-modules jdk.incubator.vector -Xmx6g -Djava.util.concurrent.ForkJoinPool.common.parallelism=$((threads - 1)) \
        -cp "$classpath:$work/classes" "$@" 2>&1 | grep -v 'WARNING: Using incubator'
}
run_torch() {
    THREADS="$threads" "$python" "$here/torch_forward.py" "$@" 2>/dev/null
}

log="$work/results.txt"
for round in $(seq 1 "$rounds"); do
    echo "== round $round"
    run_java io.electraconvert.verify.bench.MatMulBenchmark | tee -a "$log"
    for spec in "${cases[@]}"; do
        read -r -a c <<< "$spec"
        if (( round % 2 )); then
            run_java io.electraconvert.verify.bench.ForwardBenchmark "${c[@]}" | tee -a "$log"
            run_torch "${c[@]}" | tee -a "$log"
        else
            run_torch "${c[@]}" | tee -a "$log"
            run_java io.electraconvert.verify.bench.ForwardBenchmark "${c[@]}" | tee -a "$log"
        fi
    done
    run_torch matmul | tee -a "$log"
done

medians() { grep "^$1 forward $2 $3x$4 " "$log" | grep -o 'median [0-9.]*' | cut -d' ' -f2; }
bests() { grep "^$1 forward $2 $3x$4 " "$log" | grep -o 'best [0-9.]*' | cut -d' ' -f2; }
best_gflops() { grep -o "^$1 matmul.*, [0-9.]* GFLOP/s (best)" "$log" | grep -o '[0-9.]* GFLOP/s' | sort -n | tail -1; }
# a shared machine slows either side now and then: besides the best medians, the ratio of every round, and the
# ratio of the fastest single runs (closest to what each side does undisturbed)
echo "== result: best median of $rounds rounds, $threads threads each side (java/pytorch below 1 = java faster)"
for spec in "${cases[@]}"; do
    read -r -a c <<< "$spec"
    java_ms=$(medians java "${c[0]}" "${c[1]}" "${c[2]}" | sort -n | head -1)
    torch_ms=$(medians torch "${c[0]}" "${c[1]}" "${c[2]}" | sort -n | head -1)
    rounds_ratios=$(paste -d' ' <(medians java "${c[0]}" "${c[1]}" "${c[2]}") <(medians torch "${c[0]}" "${c[1]}" "${c[2]}") \
        | awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 / $2 }')
    best_ratio=$(awk -v j="$(bests java "${c[0]}" "${c[1]}" "${c[2]}" | sort -n | head -1)" \
        -v t="$(bests torch "${c[0]}" "${c[1]}" "${c[2]}" | sort -n | head -1)" 'BEGIN { printf "%.2f", j / t }')
    awk -v n="${c[0]} ${c[1]}x${c[2]}" -v j="$java_ms" -v t="$torch_ms" -v r="$rounds_ratios" -v b="$best_ratio" \
        'BEGIN { printf "forward %-12s java %8.2f ms  pytorch %8.2f ms  java/pytorch %.2f  (per round: %s; fastest runs: %s)\n", n, j, t, j / t, r, b }'
done
echo "matmul 1024x768 · 768x3072: java $(best_gflops java), pytorch $(best_gflops torch)"
