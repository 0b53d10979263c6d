#!/usr/bin/env bash
# Issue 5 benchmark: converting an ELECTRA-large-shaped checkpoint (~4.3 GB, written by real TensorFlow) runs in
# bounded memory at near disk speed, and tf-reader reads faster than TensorFlow's own RestoreV2.
#
#   testdata/bench/run-bench.sh            # from anywhere; ROUNDS=3 by default
#
# Environment: ROUNDS (best of, default 3), PYTHON (a Python with tensorflow; default: testdata/bench/bench-python.sh builds one),
# BENCH_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/electra-convert/bench; holds the cached checkpoint in large/
# and the outputs in work/, i.e. everything on the same disk), SKIP_READER=1 / SKIP_CONVERT=1.
# Page caches are dropped before every "cold" run when possible (root: sync; echo 3 > /proc/sys/vm/drop_caches);
# "warm" runs follow an untimed run that brought the input into the page cache. Conversions and cp alternate within
# each round, so a ratio compares runs made minutes apart at most, on a machine whose disk speed drifts.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${PYTHON:-$("$root/testdata/bench/bench-python.sh")}"
ROUNDS="${ROUNDS:-3}"
BENCH_DIR="${BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/electra-convert/bench}"
large="$BENCH_DIR/large"
work="$BENCH_DIR/work"
jar="$root/converter-cli/target/electra-convert.jar"

log() { echo "[bench] $*" >&2; }

# ---------------------------------------------------------------- setup
if [ ! -x /usr/bin/time ]; then
  log "installing GNU time (apt-get install time)"
  { apt-get install -y -q time >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q time >/dev/null; }; } \
    || { echo "run-bench: /usr/bin/time is missing and could not be installed" >&2; exit 1; }
fi

log "checkpoint: $large (built once, cached)"
TF_CPP_MIN_LOG_LEVEL=2 "$PYTHON" "$root/testdata/bench/make_large_checkpoint.py" "$large" >&2
ckpt_bytes=$(du -cb "$large"/model.ckpt-*.data-* | tail -1 | cut -f1)

log "building the CLI jar and the testdata test classes"
(cd "$root" && mvn -q -B -Dstyle.color=never -DskipTests -pl converter-cli -am package) >&2
(cd "$root" && mvn -q -B -Dstyle.color=never -DskipTests -pl testdata -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$BENCH_DIR/testdata.classpath") >&2
reader_cp="$root/testdata/target/test-classes:$root/tf-reader/target/classes:$(cat "$BENCH_DIR/testdata.classpath")"

mkdir -p "$work"
rm -rf "${work:?}"/*

can_drop=no
if [ -w /proc/sys/vm/drop_caches ] && { sync; echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null; then
  can_drop=yes
fi
caches=(warm)
[ "$can_drop" = yes ] && caches=(cold warm)
log "dropping page caches between runs: $can_drop"

drop_or_sync() { # $1 = cold|warm
  sync
  if [ "$1" = cold ]; then echo 3 > /proc/sys/vm/drop_caches; fi
}

# once KEY CACHE LABEL CMD... : one timed run; keeps under KEY the best wall time (s), the largest RSS (MiB) and
# whether any run failed -> BEST[KEY], PEAK[KEY], FAILED[KEY]
declare -A BEST PEAK FAILED
once() {
  local key=$1 cache=$2 label=$3; shift 3
  local t0 t1 s kb
  [ -n "${PRE:-}" ] && eval "$PRE"
  drop_or_sync "$cache"
  t0=$(date +%s%N)
  if ! /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/out.txt" 2>&1; then
    FAILED[$key]=yes
    log "$label ($cache) FAILED:"; sed 's/^/    /' "$work/out.txt" >&2
  fi
  t1=$(date +%s%N)
  s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
  [ "$((kb / 1024))" -gt "${PEAK[$key]:-0}" ] && PEAK[$key]=$((kb / 1024))
  if [ -z "${BEST[$key]:-}" ] || awk -v a="$s" -v b="${BEST[$key]}" 'BEGIN { exit !(a < b) }'; then BEST[$key]=$s; fi
  log "$label ($cache): ${s}s, max RSS $((kb / 1024)) MiB"
}

mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.0f", b / 1e6 / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

declare -A BYTES

# ---------------------------------------------------------------- conversion vs cp
# Conversion and cp alternate within each round, so both see the same moments of a shared machine (its disk's
# speed moves by 2-5x from one minute to the next); each figure is the best of its ROUNDS runs.
if [ "${SKIP_CONVERT:-}" != 1 ]; then
  for net in discriminator generator; do
    out="$work/$net"
    java -jar "$jar" convert "$large" --model "$net" --out "$out" --force --quiet   # the output cp copies
    BYTES[$net]=$(stat -c %s "$out/model.safetensors")
    reference="$work/$net.reference.safetensors"; dst="$work/$net.cp.safetensors"
    cp "$out/model.safetensors" "$reference"
    for cache in "${caches[@]}"; do
      if [ "$cache" = warm ]; then   # untimed: bring the checkpoint and cp's source into the page cache
        java -jar "$jar" convert "$large" --model "$net" --out "$out" --force --quiet
        cat "$reference" >/dev/null
      fi
      for ((i = 1; i <= ROUNDS; i++)); do
        for heap in default 256m; do
          jopts=(); [ "$heap" = 256m ] && jopts=(-Xmx256m)
          PRE="rm -rf '$out'" once "conv,$net,$heap,$cache" "$cache" "round $i: convert $net heap=$heap" \
            java "${jopts[@]}" -jar "$jar" convert "$large" --model "$net" --out "$out" --force --quiet
          cmp -s "$out/model.safetensors" "$reference" || {
            log "convert $net heap=$heap: output differs from the first conversion"; FAILED[conv,$net,$heap,$cache]=yes; }
        done
        PRE="rm -f '$dst'" once "cp,$net,$cache" "$cache" "round $i: cp $net" cp "$reference" "$dst"
        PRE="rm -f '$dst'" once "cpsync,$net,$cache" "$cache" "round $i: cp+fsync $net" \
          sh -c 'cp "$1" "$2" && sync "$2"' cp "$reference" "$dst"
      done
      rm -f "$dst"
    done
  done
fi

# ---------------------------------------------------------------- reader vs RestoreV2
declare -A READER
if [ "${SKIP_READER:-}" != 1 ]; then
  ropts=(--rounds "$ROUNDS" --warm); [ "$can_drop" = yes ] && ropts+=(--drop-caches)
  log "reader benchmark (discriminator tensors)"
  TF_CPP_MIN_LOG_LEVEL=2 java -cp "$reader_cp" io.electraconvert.testdata.bench.ReaderBenchmark "$large" "${ropts[@]}" \
    | tee "$work/reader.txt" >&2
  while IFS=$'\t' read -r tag method cache secs rate _; do
    [ "$tag" = RESULT ] || continue
    READER[$method,$cache]="$secs $rate"
  done < "$work/reader.txt"
fi

# ---------------------------------------------------------------- summary
echo
echo "## Results ($(date -u +%Y-%m-%d), best of $ROUNDS; page cache dropped between cold runs: $can_drop)"
echo
echo "Checkpoint: $large ($(awk -v b="$ckpt_bytes" 'BEGIN { printf "%.2f GB", b / 1e9 }') of tensor data)"
if [ "${SKIP_CONVERT:-}" != 1 ]; then
  echo
  echo "| network | output | cache | convert (default heap) | peak RSS | convert -Xmx256m | peak RSS | cp | cp + fsync | convert / cp+fsync | convert / cp |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for net in discriminator generator; do
    b=${BYTES[$net]}
    for cache in "${caches[@]}"; do
      c=${BEST[conv,$net,default,$cache]}; x=${BEST[conv,$net,256m,$cache]}
      p=${BEST[cp,$net,$cache]}; ps=${BEST[cpsync,$net,$cache]}
      okx=""; [ -z "${FAILED[conv,$net,256m,$cache]:-}" ] || okx=" FAILED"
      okc=""; [ -z "${FAILED[conv,$net,default,$cache]:-}" ] || okc=" FAILED"
      printf '| %s | %.2f GB | %s | %ss (%s MB/s)%s | %s MiB | %ss (%s MB/s)%s | %s MiB | %ss (%s MB/s) | %ss (%s MB/s) | **%s** | %s |\n' \
        "$net" "$(awk -v b="$b" 'BEGIN { print b / 1e9 }')" "$cache" \
        "$c" "$(mbps "$b" "$c")" "$okc" "${PEAK[conv,$net,default,$cache]}" \
        "$x" "$(mbps "$b" "$x")" "$okx" "${PEAK[conv,$net,256m,$cache]}" \
        "$p" "$(mbps "$b" "$p")" "$ps" "$(mbps "$b" "$ps")" "$(ratio "$c" "$ps")" "$(ratio "$c" "$p")"
    done
  done
fi
if [ "${SKIP_READER:-}" != 1 ]; then
  echo
  echo "Reader, every discriminator tensor (no Adam slots), checksums verified on both sides:"
  echo
  echo "| method | cache | seconds | MB/s |"
  echo "|---|---|---|---|"
  for cache in "${caches[@]}"; do
    for m in "tf-reader streamBytes (4 MiB chunks)" "tf-reader readBytes (whole tensors)" \
             "TF RestoreV2, one call" "TF RestoreV2, batches"; do
      read -r s r <<<"${READER[$m,$cache]:-? ?}"
      echo "| $m | $cache | $s | $r |"
    done
  done
fi

echo
echo "Targets:"
if [ "${SKIP_CONVERT:-}" != 1 ]; then
  for cache in "${caches[@]}"; do
    for net in discriminator generator; do
      r=$(ratio "${BEST[conv,$net,default,$cache]}" "${BEST[cpsync,$net,$cache]}")
      v=$(awk -v r="$r" 'BEGIN { print (r <= 1.5) ? "met" : "MISSED" }')
      echo "- conversion / (cp + fsync), $net, $cache: $r (target <= 1.5): $v"
    done
  done
  maxrss=0
  for k in "${!PEAK[@]}"; do [[ $k == conv,*,default,* ]] && [ "${PEAK[$k]}" -gt "$maxrss" ] && maxrss=${PEAK[$k]}; done
  echo "- peak RSS, default JVM settings, both networks: $maxrss MiB (target < 512): $([ "$maxrss" -lt 512 ] && echo met || echo MISSED)"
  xok=met; for k in "${!FAILED[@]}"; do [[ $k == conv,*,256m,* ]] && xok=MISSED; done
  echo "- -Xmx256m conversions succeed with identical output: $xok"
fi
if [ "${SKIP_READER:-}" != 1 ]; then
  for cache in "${caches[@]}"; do
    m_s="tf-reader streamBytes (4 MiB chunks)"; m_w="tf-reader readBytes (whole tensors)"
    m_1="TF RestoreV2, one call"; m_b="TF RestoreV2, batches"
    read -r so _ <<<"${READER[$m_s,$cache]}"
    read -r wo _ <<<"${READER[$m_w,$cache]}"
    read -r t1 _ <<<"${READER[$m_1,$cache]}"
    read -r tb _ <<<"${READER[$m_b,$cache]}"
    ours=$(awk -v a="$so" -v b="$wo" 'BEGIN { print (a < b) ? a : b }')
    tf=$(awk -v a="$t1" -v b="$tb" 'BEGIN { print (a < b) ? a : b }')
    echo "- reader, $cache: RestoreV2 best / tf-reader best = $(ratio "$tf" "$ours")x (target > 1, ours faster): $(awk -v a="$ours" -v b="$tf" 'BEGIN { print (a < b) ? "met" : "MISSED" }')"
  done
fi
rm -rf "${work:?}"/*/ "$work"/*.safetensors
