#!/usr/bin/env bash
# Prints the path of a Python with the pinned TensorFlow, PyTorch and transformers the benchmarks compare against,
# creating a virtual environment for it on first use (cached by the requirement list) from the configured index.
set -euo pipefail
reqs=("tensorflow-cpu==2.21.0" "torch==2.13.0+cpu" "transformers==5.18.0" "safetensors==0.8.0" "numpy")
hash=$(printf '%s\n' "${reqs[@]}" | sha256sum | cut -c1-12)
venv="${XDG_CACHE_HOME:-$HOME/.cache}/electra-convert/bench-venv-$hash"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import tensorflow, torch, transformers" 2>/dev/null; then
  echo "bench: creating Python environment in $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  PIP_RETRIES=0 "$venv/bin/pip" install -q --disable-pip-version-check "${reqs[@]}" >&2
fi
echo "$venv/bin/python"
