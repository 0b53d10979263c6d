#!/usr/bin/env bash
# Interop suite: loads every converted fixture with the real Python libraries (transformers, torch,
# safetensors, tokenizers). Builds its own virtual environment from requirements.txt, cached by content hash.
# Called by Maven (converter-cli, integration-test phase) with the CLI jar already built.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
export ELECTRA_REPO_ROOT="$root"
export ELECTRA_CLI_JAR="${ELECTRA_CLI_JAR:-$root/converter-cli/target/electra-convert.jar}"

hash=$(sha256sum "$here/requirements.txt" | cut -c1-12)
venv="${ELECTRA_INTEROP_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/electra-convert/interop-venv-$hash}"
if [ ! -x "$venv/bin/pytest" ]; then
  echo "interop: creating Python environment in $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  # PIP_RETRIES=0: the default index is unreachable here; only the configured local index answers
  PIP_RETRIES=0 "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
fi
rm -f "$root/converter-cli/target/interop-results.jsonl"  # figures of this run only
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider "$here" "$@"
