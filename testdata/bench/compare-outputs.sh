#!/usr/bin/env bash
# Converts every pretraining fixture, network, weight format and dtype with two CLI jars and compares the
# folders byte for byte: a refactoring must not change a single output byte.
# Usage: testdata/bench/compare-outputs.sh OLD.jar NEW.jar
set -euo pipefail
old="$1"
new="$2"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
compared=0
for fixture in small base untied sharded released small-half; do
  ckpt="$root/testdata/checkpoints/$fixture"
  for network in discriminator generator; do
    for dtype in float32 float16 bfloat16; do
      args=(convert "$ckpt" --model "$network" --format safetensors,pytorch,tf --dtype "$dtype" --vocab "$root/testdata/vocab.txt" --quiet)
      [ -f "$ckpt/hparams.json" ] && args+=(--hparams "$ckpt/hparams.json")
      java -jar "$old" "${args[@]}" --out "$work/old" >/dev/null
      java -jar "$new" "${args[@]}" --out "$work/new" >/dev/null
      diff -r "$work/old" "$work/new" || { echo "DIFFERENT: $fixture $network $dtype"; exit 1; }
      compared=$((compared + $(ls "$work/old" | wc -l)))
      rm -rf "$work/old" "$work/new"
      sharded=(convert "$ckpt" --model "$network" --format safetensors,pytorch --dtype "$dtype" --max-shard-size 40KB --quiet)
      [ -f "$ckpt/hparams.json" ] && sharded+=(--hparams "$ckpt/hparams.json")
      java -jar "$old" "${sharded[@]}" --out "$work/old" >/dev/null
      java -jar "$new" "${sharded[@]}" --out "$work/new" >/dev/null
      diff -r "$work/old" "$work/new" || { echo "DIFFERENT (sharded): $fixture $network $dtype"; exit 1; }
      compared=$((compared + $(ls "$work/old" | wc -l)))
      rm -rf "$work/old" "$work/new"
    done
  done
done
echo "identical: $compared files (6 fixtures x 2 networks x 3 dtypes, every format, single and sharded)"
