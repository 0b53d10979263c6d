"""--max-shard-size means what max_shard_size means to transformers: the table ShardPlanTest checks the Java parser
against is checked here against transformers' own convert_file_size_to_int."""
import json

import pytest
from transformers.utils.hub import convert_file_size_to_int

from conftest import ROOT

SIZES = json.loads((ROOT / "hf-writer/src/test/resources/weights/shard-sizes.json").read_text(encoding="utf-8"))["sizes"]


@pytest.mark.parametrize("row", SIZES, ids=lambda row: repr(row["text"]))
def test_table_agrees_with_transformers(row):
    text = row["text"]
    if row.get("refused"):
        try:
            size = convert_file_size_to_int(text)
        except ValueError:
            return
        assert size <= 0 or size >= 2**63, f"transformers reads {text!r} as {size} bytes, a size we refuse"
    else:
        assert convert_file_size_to_int(int(text) if row.get("as_int") else text) == row["bytes"]
