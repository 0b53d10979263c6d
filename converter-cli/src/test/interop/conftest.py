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


class Variant:
    """One conversion of a variant fixture: the CLI options, the class it makes, and which of reference.json's
    `outputs` each HF output must match ((name, index) picks one column: STS's regression head is `logits[:, 0]`)."""

    def __init__(self, fixture, options, architecture, outputs, hidden="body.hidden_states"):
        self.fixture, self.options, self.architecture = fixture, options, architecture
        self.outputs, self.hidden = outputs, hidden
        self.id = f"{fixture}:{'-'.join(o for o in options if not o.startswith('--') and ',' not in o)}"


def _chunk_labels():
    return ",".join(json.loads((CHECKPOINTS / "finetune-tagging" / "reference.json").read_text())["labels"]["chunk"])


# the variant fixtures (written by google-research/electra's own graph code), each converted WITHOUT --hparams: the
# hparams.json beside each one (or meta-heads' .meta graph) gives the values the shapes cannot
VARIANT_FIXTURES = sorted(p.name for p in CHECKPOINTS.iterdir()
                          if (p / "reference.json").exists() and not _pretraining_reference(p))
VARIANTS = [
    Variant("finetune-glue", ["--model", "task", "--task", "mnli"], "ElectraForSequenceClassification",
            {"logits": "mnli.logits"}),
    Variant("finetune-glue", ["--model", "task", "--task", "sts"], "ElectraForSequenceClassification",
            {("logits", 0): "sts.predictions"}),
    # the tag names live in chunk_label_mapping.pkl, which is not kept: the fixture records them
    Variant("finetune-tagging", ["--model", "task", "--labels", _chunk_labels()], "ElectraForTokenClassification",
            {"logits": "chunk.logits"}),
    Variant("finetune-squad", ["--model", "task"], "ElectraForQuestionAnswering",
            {"start_logits": "squad.start_logits", "end_logits": "squad.end_logits"}),
    Variant("mlm-only", ["--model", "generator"], "ElectraForMaskedLM", {"logits": "generator.logits"}),
    Variant("tied-generator", ["--model", "discriminator"], "ElectraForPreTraining", {"logits": "discriminator.logits"}),
    Variant("tied-generator", ["--model", "generator"], "ElectraForMaskedLM", {"logits": "generator.logits"}),
    # the raw discriminator logits; reference.json also has Electric's adjusted ones, which no HF class computes
    Variant("electric", ["--model", "discriminator"], "ElectraForPreTraining", {"logits": "discriminator.logits"}),
    Variant("uniform-generator", ["--model", "discriminator"], "ElectraForPreTraining",
            {"logits": "discriminator.logits"}),
    Variant("meta-heads", ["--model", "discriminator"], "ElectraForPreTraining", {"logits": "discriminator.logits"}),
    Variant("meta-heads", ["--model", "generator"], "ElectraForMaskedLM", {"logits": "generator.logits"},
            hidden="generator.hidden_states"),
] + [Variant(f, ["--model", "body"], "ElectraModel", {}) for f in VARIANT_FIXTURES]


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
_variants = {}


@pytest.fixture
def converted_variant(tmp_path_factory):
    """converted_variant(variant) -> folder the real CLI wrote for it, without --hparams (once per session)."""
    def make(variant):
        if variant.id not in _variants:
            out = tmp_path_factory.mktemp(variant.id.replace(":", "-")) / "model"
            cli("convert", CHECKPOINTS / variant.fixture, *variant.options, "--out", out, "--vocab", VOCAB, "--quiet")
            _variants[variant.id] = out
        return _variants[variant.id]
    return make


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
