"""Builds tiny seeded random ELECTRA models for every head class with transformers and records PyTorch's outputs.

Each case becomes a folder under src/test/resources/hf-fixtures/<case>/ holding what save_pretrained writes
(config.json, model.safetensors) and expected.json: the inputs (with padding and both token types), every logits
output and all hidden states (output_hidden_states=True), as float32 values.

Run from anywhere: "$(testdata/bench/bench-python.sh)" model-verify/src/test/python/make_hf_fixtures.py
Needs transformers 5.18, torch (cpu) and safetensors.
"""
import json
import shutil
from pathlib import Path

import torch
import transformers
from transformers import (ElectraConfig, ElectraForMaskedLM, ElectraForMultipleChoice, ElectraForPreTraining,
                          ElectraForQuestionAnswering, ElectraForSequenceClassification,
                          ElectraForTokenClassification, ElectraModel)

OUT = Path(__file__).resolve().parents[1] / "resources" / "hf-fixtures"

TINY = dict(vocab_size=40, embedding_size=16, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
            intermediate_size=64, max_position_embeddings=24, type_vocab_size=2)

# (case, model class, config overrides, multiple-choice input?)
CASES = [
    ("pretraining", ElectraForPreTraining, {}, False),
    ("pretraining-gelu-new", ElectraForPreTraining, {"hidden_act": "gelu_new"}, False),
    ("masked-lm", ElectraForMaskedLM, {}, False),
    ("sequence-classification-e-equals-h", ElectraForSequenceClassification,
     {"embedding_size": 32, "num_labels": 3}, False),
    ("token-classification", ElectraForTokenClassification, {"num_labels": 5}, False),
    ("question-answering", ElectraForQuestionAnswering, {}, False),
    ("multiple-choice", ElectraForMultipleChoice, {}, True),
    ("base-model", ElectraModel, {}, False),  # keys without the electra. prefix
]


def inputs(seed, multiple_choice):
    """Batch 2 × 7 tokens: the second sequence padded after 5 tokens; segment B from position 4 on."""
    g = torch.Generator().manual_seed(seed)
    shape = (2, 3, 6) if multiple_choice else (2, 7)
    ids = torch.randint(5, TINY["vocab_size"], shape, generator=g)
    ids[..., 0] = 1  # a [CLS]-like first token
    mask = torch.ones(shape, dtype=torch.long)
    mask[1, ..., 5:] = 0
    ids[mask == 0] = 0
    types = torch.zeros(shape, dtype=torch.long)
    types[..., 4:] = 1
    return ids, types, mask


def floats(tensor):
    """float32 values written with 9 significant digits, which round-trip float32 exactly."""
    return [float(f"{v:.9g}") for v in tensor.detach().to(torch.float32).reshape(-1).tolist()]


def make_case(index, name, model_class, overrides, multiple_choice):
    torch.manual_seed(1000 + index)
    config = ElectraConfig(**{**TINY, **overrides})
    model = model_class(config).eval()
    # transformers initialises LayerNorm to (1, 0) and biases to 0; randomise all so that every term is exercised
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(torch.randn_like(parameter) * 0.5)
    folder = OUT / name
    shutil.rmtree(folder, ignore_errors=True)
    model.save_pretrained(folder)
    ids, types, mask = inputs(2000 + index, multiple_choice)
    with torch.inference_mode():
        out = model(input_ids=ids, token_type_ids=types, attention_mask=mask, output_hidden_states=True)
    logits = {key: {"shape": list(out[key].shape), "values": floats(out[key])}
              for key in ("logits", "start_logits", "end_logits") if key in out and out[key] is not None}
    expected = {
        "architecture": model_class.__name__,
        "transformers_version": transformers.__version__,
        "torch_version": torch.__version__,
        "input_shape": list(ids.shape),
        "input_ids": ids.reshape(-1).tolist(),
        "token_type_ids": types.reshape(-1).tolist(),
        "attention_mask": mask.reshape(-1).tolist(),
        "logits": logits,
        "hidden_states": [{"shape": list(h.shape), "values": floats(h)} for h in out.hidden_states],
    }
    (folder / "expected.json").write_text(json.dumps(expected, separators=(",", ":")) + "\n")
    print(f"{name}: {model_class.__name__}, {sum(p.numel() for p in model.parameters())} parameters")


def main():
    torch.use_deterministic_algorithms(True)
    for index, case in enumerate(CASES):
        make_case(index, *case)


if __name__ == "__main__":
    main()
