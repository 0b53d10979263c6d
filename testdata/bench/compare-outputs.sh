#!/usr/bin/env bash
# Converts every pretraining fixture, network, weight format and dtype with two CLI jars and compares the
# folders byte for byte: a refactoring must not change a single output byte. The pretraining fixtures are
# converted with --hparams (their hparams.json), so jars from before hparams.json was found beside the checkpoint
# compare too. Then every choice of the variant fixtures (fine-tuned heads, masked-LM only, tied, Electric,
# uniform generator, heads from the .meta graph), also with --hparams where the fixture has an hparams.json
# (meta-heads has none: its heads come from its .meta graph); a choice OLD.jar cannot convert (a jar from before
# it was supported) is counted, not compared, and every differing choice is listed before the script fails.
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
labels="$(python3 -c 'import json,sys; print(",".join(json.load(open(sys.argv[1]))["labels"]["chunk"]))' \
  "$root/testdata/checkpoints/finetune-tagging/reference.json")"
variants=("finetune-glue --model task --task mnli" "finetune-glue --model task --task sts"
  "finetune-tagging --model task --labels $labels" "finetune-squad --model task" "mlm-only --model generator"
  "tied-generator --model discriminator" "tied-generator --model generator" "electric --model discriminator"
  "uniform-generator --model discriminator" "meta-heads --model discriminator" "meta-heads --model generator")
for fixture in finetune-glue finetune-tagging finetune-squad finetune-squad-joint mlm-only tied-generator electric \
    uniform-generator meta-heads; do
  variants+=("$fixture --model body")
done
variant_files=0
old_cannot=0
differing=()
for variant in "${variants[@]}"; do
  read -r fixture options <<<"$variant"
  for dtype in float32 bfloat16; do
    # shellcheck disable=SC2086 # options are words
    args=(convert "$root/testdata/checkpoints/$fixture" $options --format safetensors,pytorch --dtype "$dtype" \
      --vocab "$root/testdata/vocab.txt" --quiet)
    [ -f "$root/testdata/checkpoints/$fixture/hparams.json" ] && args+=(--hparams "$root/testdata/checkpoints/$fixture/hparams.json")
    java -jar "$new" "${args[@]}" --out "$work/new" >/dev/null 2>&1 || { echo "NEW FAILED: $variant $dtype"; exit 1; }
    if ! java -jar "$old" "${args[@]}" --out "$work/old" >/dev/null 2>&1; then
      old_cannot=$((old_cannot + 1))
      rm -rf "$work/old" "$work/new"
      continue
    fi
    if diff -r "$work/old" "$work/new"; then
      variant_files=$((variant_files + $(ls "$work/old" | wc -l)))
    else
      differing+=("$fixture $options ($dtype)")
    fi
    rm -rf "$work/old" "$work/new"
  done
done
echo "identical: $compared files (6 fixtures x 2 networks x 3 dtypes, every format, single and sharded)"
echo "identical: $variant_files files of the ${#variants[@]} variant choices x 2 dtypes; $old_cannot conversions OLD.jar cannot make"
if [ ${#differing[@]} -gt 0 ]; then
  printf 'DIFFERENT: %s\n' "${differing[@]}"
  exit 1
fi
