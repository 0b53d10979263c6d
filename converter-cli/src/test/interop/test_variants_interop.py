"""Every variant google-research/electra writes (fine-tuned heads, masked-LM only, tied, Electric, uniform generator,
heads only in the .meta graph), converted by the CLI, loaded by transformers 5.18 and compared with the outputs
TensorFlow computed through the original's own graph code (reference.json `outputs`)."""
import json

import numpy as np
import pytest
import torch
import transformers

from conftest import LOGITS_TOLERANCE, VARIANTS, inputs, record, reference


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.id)
def test_variant_loads_exactly_and_matches_tensorflow(variant, converted_variant):
    out = converted_variant(variant)
    config = json.loads((out / "config.json").read_text())
    assert config["architectures"] == [variant.architecture]
    model, info = getattr(transformers, variant.architecture).from_pretrained(out, output_loading_info=True)
    assert not info["missing_keys"], info
    assert not info["unexpected_keys"], info
    assert not info["mismatched_keys"], info
    ref = reference(variant.fixture)
    model.eval()
    with torch.inference_mode():
        result = model(**inputs(ref), output_hidden_states=True)
    diffs = {}
    for name, ref_name in variant.outputs.items():
        got = getattr(result, name[0])[..., name[1]] if isinstance(name, tuple) else getattr(result, name)
        expected = np.array(ref["outputs"][ref_name], dtype=np.float64)
        assert tuple(got.shape) == expected.shape, (name, got.shape, expected.shape)
        diffs[ref_name] = float(np.max(np.abs(got.double().numpy() - expected)))
    expected_hidden = ref["outputs"][variant.hidden]
    assert len(result.hidden_states) == len(expected_hidden)
    diffs[variant.hidden] = max(float(np.max(np.abs(h.double().numpy() - np.array(e))))
                                for h, e in zip(result.hidden_states, expected_hidden))
    record(test="variant_from_pretrained", variant=variant.id, architecture=variant.architecture, max_abs_diff=diffs)
    assert all(d <= LOGITS_TOLERANCE for d in diffs.values()), f"{variant.id}: differs from TensorFlow: {diffs}"


def test_classification_labels_come_from_the_task_definitions(converted_variant):
    by_id = {v.id: v for v in VARIANTS}
    mnli = json.loads((converted_variant(by_id["finetune-glue:task-mnli"]) / "config.json").read_text())
    assert mnli["id2label"] == {"0": "contradiction", "1": "entailment", "2": "neutral"}
    assert mnli["label2id"] == {"contradiction": 0, "entailment": 1, "neutral": 2}
    assert "problem_type" not in mnli
    sts = json.loads((converted_variant(by_id["finetune-glue:task-sts"]) / "config.json").read_text())
    assert sts["problem_type"] == "regression"
    assert transformers.ElectraConfig.from_dict(sts).num_labels == 1
    chunk_variant = next(v for v in VARIANTS if v.fixture == "finetune-tagging")
    chunk = json.loads((converted_variant(chunk_variant) / "config.json").read_text())
    assert list(chunk["id2label"].values()) == reference("finetune-tagging")["labels"]["chunk"]


def test_heads_come_from_the_meta_graph_and_the_hparams_beside_the_checkpoint(converted_variant):
    by_id = {v.id: v for v in VARIANTS}
    heads = {vid: json.loads((converted_variant(by_id[vid]) / "config.json").read_text())["num_attention_heads"]
             for vid in ("meta-heads:discriminator", "meta-heads:generator", "finetune-glue:task-mnli")}
    # meta-heads: 4 in the graph where max(1, 32 // 64) would give 1; finetune-glue: 2 from its hparams.json
    assert heads == {"meta-heads:discriminator": 4, "meta-heads:generator": 1, "finetune-glue:task-mnli": 2}
