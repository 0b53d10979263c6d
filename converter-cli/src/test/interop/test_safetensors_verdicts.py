"""safetensors headers: the verdicts hf-writer's SafetensorsReferenceVerdictTest holds our reader to are those of the
real library.

Each case of hf-writer/src/test/resources/safetensors/reference-verdicts.json is written as a file and opened with
safetensors' own reader; it must accept exactly the cases marked reference_accepts, and report the same tensor names
and metadata for them.
"""
import json
import struct

import pytest
from safetensors import safe_open

from conftest import ROOT

CASES = json.loads((ROOT / "hf-writer/src/test/resources/safetensors/reference-verdicts.json").read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_reference_verdict(case, tmp_path):
    header = case["header"].encode("utf-8")
    path = tmp_path / "case.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + bytes(case["data"]))
    try:
        with safe_open(path, "np") as f:
            names, metadata = sorted(f.keys()), f.metadata()
    except Exception as e:  # the library's SafetensorError (and nothing else is expected)
        assert not case["reference_accepts"], f"safetensors refuses it: {e}"
        return
    assert case["reference_accepts"], "safetensors accepts it"
    assert names == sorted(case["tensors"])
    assert metadata == case["metadata"]
