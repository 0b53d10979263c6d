"""Every fixture x network, converted by the CLI, loaded by the libraries that own the formats."""
import numpy as np
import pytest
import torch
from safetensors import safe_open
from transformers import (AutoTokenizer, BertTokenizer, ElectraForSequenceClassification,
                          ElectraForTokenClassification, ElectraModel)

from conftest import FIXTURES, HEAD_CLASS, LOGITS_TOLERANCE, NETWORKS, VOCAB, inputs, reference, record


@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("fixture", FIXTURES)
def test_from_pretrained_matches_tensorflow(fixture, network, converted):
    out = converted(fixture, network)
    ref = reference(fixture)
    model, info = HEAD_CLASS[network].from_pretrained(out, output_loading_info=True)
    assert info["missing_keys"] == set() or not info["missing_keys"], info
    assert not info["unexpected_keys"], info
    assert not info["mismatched_keys"], info
    model.eval()
    with torch.inference_mode():
        result = model(**inputs(ref), output_hidden_states=True)
    expected = np.array(ref[network]["logits"], dtype=np.float64)
    got = result.logits.double().numpy()
    assert got.shape == expected.shape
    diff = float(np.max(np.abs(got - expected)))
    hidden_diff = max(float(np.max(np.abs(h.double().numpy() - np.array(e))))
                      for h, e in zip(result.hidden_states, ref[network]["hidden_states"]))
    record(test="from_pretrained", fixture=fixture, network=network, logits_max_abs_diff=diff,
           hidden_states_max_abs_diff=hidden_diff)
    assert diff <= LOGITS_TOLERANCE, f"{fixture}/{network}: logits differ from TensorFlow by {diff}"
    assert hidden_diff <= LOGITS_TOLERANCE, f"{fixture}/{network}: hidden states differ by {hidden_diff}"


@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("fixture", FIXTURES)
def test_every_backbone_class_loads_without_missing_backbone_keys(fixture, network, converted):
    out = converted(fixture, network)
    ref = reference(fixture)
    for cls in (ElectraModel, ElectraForSequenceClassification, ElectraForTokenClassification):
        model, info = cls.from_pretrained(out, output_loading_info=True)
        backbone_missing = [k for k in info["missing_keys"] if k.startswith("electra.") or k.startswith("embeddings")
                            or k.startswith("encoder")]
        assert not backbone_missing, f"{cls.__name__}: {backbone_missing}"
    base = ElectraModel.from_pretrained(out).eval()
    with torch.inference_mode():
        last = base(**inputs(ref)).last_hidden_state.double().numpy()
    assert np.max(np.abs(last - np.array(ref[network]["hidden_states"][-1]))) <= LOGITS_TOLERANCE


@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("fixture", FIXTURES)
def test_safetensors_file_is_accepted_by_safe_open(fixture, network, converted):
    out = converted(fixture, network)
    with safe_open(out / "model.safetensors", framework="pt") as f:
        assert f.metadata() == {"format": "pt"}
        keys = set(f.keys())
        assert "generator_lm_head.weight" not in keys  # tied: transformers re-ties it to the word embeddings
        for k in keys:
            assert f.get_tensor(k).dtype == torch.float32
    header_len = int.from_bytes((out / "model.safetensors").read_bytes()[:8], "little")
    assert header_len % 8 == 0


SENTENCES = ["The quick brown fox jumps over the lazy dog.",
             "a cat sat on the mat!",
             "The [MASK] jumps, quickly?",
             "Café and the dog's mat"]


@pytest.mark.parametrize("network", NETWORKS)
def test_autotokenizer_matches_bert_tokenizer(network, converted):
    out = converted(FIXTURES[0], network)
    auto = AutoTokenizer.from_pretrained(out)
    slow = BertTokenizer(str(VOCAB), do_lower_case=True)
    for text in SENTENCES:
        assert auto(text)["input_ids"] == slow(text)["input_ids"], text
    pair = auto("the cat", "the dog")
    assert pair["input_ids"] == slow("the cat", "the dog")["input_ids"]
    assert pair["token_type_ids"] == slow("the cat", "the dog")["token_type_ids"]
