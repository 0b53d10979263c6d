"""The Java forward pass (`electra-convert forward`) against transformers 5.18 / PyTorch 2.13 on the same folders:
every converted fixture and network, and every fine-tuning head built on a converted backbone."""
import json
import subprocess

import numpy as np
import pytest
import torch
from transformers import (ElectraForMultipleChoice, ElectraForQuestionAnswering, ElectraForSequenceClassification,
                          ElectraForTokenClassification, ElectraModel)

from conftest import FIXTURES, HEAD_CLASS, JAR, NETWORKS, record, reference

# float32 on both sides, same weights; only summation order differs
JAVA_TOLERANCE = 1e-5


def java_forward(folder, inputs, tmp_path):
    path = tmp_path / "inputs.json"
    path.write_text(json.dumps(inputs))
    proc = subprocess.run(["java", "--add-modules", "jdk.incubator.vector", "-Delectra.vector=true", "-jar", str(JAR), "forward", str(folder),
                           "--inputs", str(path), "--hidden-states"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def torch_forward(model, inputs):
    model.eval()
    with torch.inference_mode():
        return model(**{k: torch.tensor(v) for k, v in inputs.items()}, output_hidden_states=True)


def max_diff(a, b):
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - b.double().numpy())))


@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("fixture", FIXTURES)
def test_java_matches_pytorch_on_converted_fixture(fixture, network, converted, tmp_path):
    out = converted(fixture, network)
    inputs = reference(fixture)["inputs"]
    java = java_forward(out, inputs, tmp_path)
    pt = torch_forward(HEAD_CLASS[network].from_pretrained(out), inputs)
    logits = max_diff(java["outputs"]["logits"], pt.logits)
    hidden = max(max_diff(j, p) for j, p in zip(java["hidden_states"], pt.hidden_states))
    record(test="java_vs_pytorch", fixture=fixture, network=network, logits_max_abs_diff=logits,
           hidden_states_max_abs_diff=hidden)
    assert logits <= JAVA_TOLERANCE and hidden <= JAVA_TOLERANCE, (logits, hidden)


HEADS = {
    "ElectraModel": (ElectraModel, {}, []),
    "ElectraForSequenceClassification": (ElectraForSequenceClassification, {"num_labels": 3}, ["logits"]),
    "ElectraForTokenClassification": (ElectraForTokenClassification, {"num_labels": 5}, ["logits"]),
    "ElectraForQuestionAnswering": (ElectraForQuestionAnswering, {}, ["start_logits", "end_logits"]),
    "ElectraForMultipleChoice": (ElectraForMultipleChoice, {}, ["logits"]),
}


@pytest.mark.parametrize("head", sorted(HEADS))
def test_java_matches_pytorch_on_every_head(head, converted, tmp_path):
    """Fixture backbone (small discriminator) + seeded random head weights saved by transformers itself."""
    cls, kwargs, outputs = HEADS[head]
    torch.manual_seed(1234)
    model = cls.from_pretrained(converted("small", "discriminator"), **kwargs)
    for name, param in model.named_parameters():  # randomise the new head so it is not all-default
        if not name.startswith("electra."):
            torch.nn.init.normal_(param, std=0.2)
    folder = tmp_path / head
    model.save_pretrained(folder)
    inputs = reference("small")["inputs"]
    if cls is ElectraForMultipleChoice:
        inputs = {k: [v, v[::-1]] for k, v in inputs.items()}  # [batch 2][choices 3][seq]
    java = java_forward(folder, inputs, tmp_path)
    pt = torch_forward(model, inputs)
    diffs = {name: max_diff(java["outputs"][name], getattr(pt, name)) for name in outputs}
    diffs["hidden_states"] = max(max_diff(j, p) for j, p in zip(java["hidden_states"], pt.hidden_states))
    record(test="java_vs_pytorch_head", head=head, **diffs)
    assert java["architecture"] == head
    assert max(diffs.values()) <= JAVA_TOLERANCE, diffs
