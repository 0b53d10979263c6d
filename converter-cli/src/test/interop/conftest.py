"""Shared helpers for the interop suite: run the real CLI jar, read fixtures' TF reference outputs."""
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch
from transformers import ElectraForMaskedLM, ElectraForPreTraining

ROOT = Path(os.environ.get("ELECTRA_REPO_ROOT", Path(__file__).resolve().parents[4]))
JAR = Path(os.environ.get("ELECTRA_CLI_JAR", ROOT / "converter-cli/target/electra-convert.jar"))
CHECKPOINTS = ROOT / "testdata" / "checkpoints"
VOCAB = ROOT / "testdata" / "vocab.txt"



def _pretraining_reference(folder):
    """The pretraining fixtures' reference.json holds both networks' outputs at the top level."""
    ref = folder / "reference.json"
    return ref.exists() and {"discriminator", "generator"} <= json.loads(ref.read_text()).keys()


# pretraining checkpoints with both networks; the variant fixtures (fine-tuned, MLM-only, Electric, ...) have
# their own tests
FIXTURES = sorted(p.name for p in CHECKPOINTS.iterdir() if _pretraining_reference(p))
NETWORKS = ["discriminator", "generator"]
RESULTS = ROOT / "converter-cli" / "target" / "interop-results.jsonl"
HEAD_CLASS = {"discriminator": ElectraForPreTraining, "generator": ElectraForMaskedLM}
# TF float32 kernels vs PyTorch float32 kernels on the same weights: summation order differs, nothing else
LOGITS_TOLERANCE = 1e-4


def cli(*args, check=True):
    """Runs the electra-convert jar; returns the CompletedProcess."""
    proc = subprocess.run(["java", "-jar", str(JAR), *map(str, args)], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"electra-convert {' '.join(map(str, args))} exited {proc.returncode}: {proc.stderr}")
    return proc


def reference(fixture):
    return json.loads((CHECKPOINTS / fixture / "reference.json").read_text())


def inputs(ref):
    return {k: torch.tensor(v, dtype=torch.long) for k, v in ref["inputs"].items()}


def tf_logits_diff(model, fixture, network):
    """Largest |logit - TensorFlow's logit| of a loaded model on the fixture's reference batch."""
    ref = reference(fixture)
    model.eval()
    with torch.inference_mode():
        got = model(**inputs(ref)).logits.double().numpy()
    expected = np.array(ref[network]["logits"], dtype=np.float64)
    assert got.shape == expected.shape
    return float(np.max(np.abs(got - expected)))


def record(**fields):
    """Appends a measured figure to target/interop-results.jsonl (read for the closing notes)."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a") as f:
        f.write(json.dumps(fields) + "\n")


_converted = {}


@pytest.fixture
def converted(tmp_path_factory):
    """converted(fixture, network) -> folder written by the real CLI (once per pair per session)."""
    def make(fixture, network):
        key = (fixture, network)
        if key not in _converted:
            out = tmp_path_factory.mktemp(f"{fixture}-{network}") / "model"
            cli("convert", CHECKPOINTS / fixture, "--model", network, "--out", out, "--vocab", VOCAB,
                "--hparams", CHECKPOINTS / fixture / "hparams.json", "--quiet")
            _converted[key] = out
        return _converted[key]
    return make
