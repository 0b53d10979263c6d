#!/usr/bin/env bash
# Whole-command wall times of verify, predict and --version on testdata/checkpoints/small: an older CLI jar run as
# its launcher ran it (java --add-modules jdk.incubator.vector -jar OLD.jar) against ./electra-convert of this
# checkout, interleaved, N runs each (default 9); prints each median and every run in ms.
# Usage: testdata/bench/startup-bench.sh OLD.jar   (e.g. a jar built from an older commit)
set -euo pipefail
old_jar="$(readlink -f "${1:?usage: startup-bench.sh OLD.jar}")"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
N=${N:-9}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ck=testdata/checkpoints/small
hp=$ck/hparams.json
./electra-convert convert $ck -m discriminator -o $work/disc --hparams $hp --vocab testdata/vocab.txt -q
./electra-convert convert $ck -m generator -o $work/gen --hparams $hp --vocab testdata/vocab.txt -q
old=(java -Delectra.stderr.tty=false --add-modules jdk.incubator.vector -jar "$old_jar")
new=(./electra-convert)
t() { local s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; }; echo $(( ($(date +%s%N) - s) / 1000000 )); }
declare -A r
for i in $(seq $N); do
  r[old_verify]+="$(t "${old[@]}" verify $ck $work/disc --model discriminator --hparams $hp) "
  r[new_verify]+="$(t "${new[@]}" verify $ck $work/disc --model discriminator --hparams $hp) "
  r[old_predict]+="$(t "${old[@]}" predict $work/gen --text "the quick brown [MASK] jumps") "
  r[new_predict]+="$(t "${new[@]}" predict $work/gen --text "the quick brown [MASK] jumps") "
  r[old_version]+="$(t "${old[@]}" --version) "
  r[new_version]+="$(t "${new[@]}" --version) "
done
for k in old_verify new_verify old_predict new_predict old_version new_version; do
  med=$(echo ${r[$k]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$k median ${med} ms  runs: ${r[$k]}"
done
