#!/usr/bin/env bash
# The ELECTRA-large discriminator (the checkpoint run-bench.sh builds and caches): an older CLI jar's conversion
# against this checkout's (warm page cache, wall time and peak RSS), then this checkout's verify of its output under
# -Xmx512m; 3 rounds, then the two outputs compared byte for byte.
# Usage: testdata/bench/verify-large-bench.sh OLD.jar   (run testdata/bench/run-bench.sh once before: it builds the
# checkpoint and the CLI jar)
set -uo pipefail
old_jar="$(readlink -f "${1:?usage: verify-large-bench.sh OLD.jar}")"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
BENCH_DIR="${BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/electra-convert/bench}"
L=$BENCH_DIR/large
W=$BENCH_DIR/work
mkdir -p $W
jar=converter-cli/target/electra-convert.jar
cat $L/model.ckpt-*.data-* > /dev/null   # warm
m() { /usr/bin/time -f "%e s %M KiB" "$@" 2>&1 >/dev/null | tail -1; }
for r in 1 2 3; do
  rm -rf $W/old $W/new
  echo "round $r old convert: $(m java -jar "$old_jar" convert $L --model discriminator --out $W/old --hparams $L/hparams.json --quiet)"
  echo "round $r new convert: $(m java -jar $jar convert $L --model discriminator --out $W/new --hparams $L/hparams.json --quiet)"
  echo "round $r new verify -Xmx512m: $(m java -Xmx512m --add-modules jdk.incubator.vector -jar $jar verify $L $W/new --model discriminator --hparams $L/hparams.json)"
done
cmp $W/old/model.safetensors $W/new/model.safetensors && echo "model.safetensors identical"
cmp $W/old/config.json $W/new/config.json && echo "config.json identical"
