"""tf_model.h5 (`--format tf`): what transformers 4.57's TF loader would look up, checked with h5py.

transformers 5 has no TensorFlow classes and 4.x's need tf_keras (not installable here), so the loader is
emulated: `load_tf_weights_from_h5` (layer_names, each model layer's weight_names via
`load_attributes_from_hdf5_group`, the first name component stripped, the dataset at group[weight_name]) and
`convert_tf_weight_name_to_pt_weight_name` for the PyTorch name and transposition. hf-writer's KerasH5GoldenTest
shows the same writer reproduces transformers 4.57.6's own files path for path; this suite runs it on every
fixture x network through the real CLI, compares every value with the safetensors output, and runs the weights the
emulated loader found, in a PyTorch model, against the logits TensorFlow computed for the fixture.
"""
import re

import h5py
import numpy as np
import pytest
import torch
from safetensors.numpy import load_file
from safetensors.torch import load_file as load_torch_file
from transformers import ElectraConfig

from conftest import CHECKPOINTS, FIXTURES, HEAD_CLASS, LOGITS_TOLERANCE, NETWORKS, VOCAB, cli, record, tf_logits_diff

MODEL_NAME = {"discriminator": "tf_electra_for_pre_training", "generator": "tf_electra_for_masked_lm"}
MODEL_LAYERS = {"discriminator": ["electra", "discriminator_predictions"],
                "generator": ["electra", "generator_predictions", "generator_lm_head"]}
_converted = {}


def convert(fixture, network, tmp_path_factory, dtype="float32"):
    key = (fixture, network, dtype)
    if key not in _converted:
        out = tmp_path_factory.mktemp(f"h5-{fixture}-{network}-{dtype}") / "model"
        cli("convert", CHECKPOINTS / fixture, "--model", network, "--out", out, "--vocab", VOCAB,
            "--hparams", CHECKPOINTS / fixture / "hparams.json", "--format", "safetensors,tf", "--dtype", dtype,
            "--quiet")
        _converted[key] = out
    return _converted[key]


def load_attributes_from_hdf5_group(group, name):
    """transformers 4.57 tf_utils.load_attributes_from_hdf5_group."""
    if name in group.attrs:
        return [n.decode("utf8") if hasattr(n, "decode") else n for n in group.attrs[name]]
    data = []
    chunk_id = 0
    while f"{name}{chunk_id}" in group.attrs:
        data.extend([n.decode("utf8") if hasattr(n, "decode") else n for n in group.attrs[f"{name}{chunk_id}"]])
        chunk_id += 1
    return data


def convert_tf_weight_name_to_pt_weight_name(tf_name, tf_weight_shape):
    """transformers 4.57 modeling_tf_pytorch_utils (the branches ELECTRA reaches)."""
    tf_name = tf_name.replace(":0", "")
    tf_name = re.sub(r"/[^/]*___([^/]*)/", r"/\1/", tf_name)
    tf_name = tf_name.replace("_._", "/")
    tf_name = re.sub(r"//+", "/", tf_name)
    tf_name = tf_name.split("/")
    if len(tf_name) > 1:
        tf_name = tf_name[1:]
    transpose = tf_name[-1] == "kernel" and len(tf_weight_shape) == 2
    if tf_name[-1] in ("kernel", "embeddings", "gamma"):
        tf_name[-1] = "weight"
    if tf_name[-1] == "beta":
        tf_name[-1] = "bias"
    return ".".join(tf_name), transpose


def load_tf_weights_from_h5(path, network):
    """The lookups of 4.57 load_tf_weights_from_h5: {stripped name: array} per model layer, plus missing layers."""
    saved = {}
    with h5py.File(path, "r") as f:
        saved_layer_names = set(load_attributes_from_hdf5_group(f, "layer_names"))
        missing_layers = [l for l in MODEL_LAYERS[network] if l not in saved_layer_names]
        unexpected_layers = sorted(saved_layer_names - set(MODEL_LAYERS[network]))
        per_layer = {}
        for layer in MODEL_LAYERS[network]:
            if layer not in saved_layer_names:
                continue
            group = f[layer]
            names = {}
            for weight_name in load_attributes_from_hdf5_group(group, "weight_names"):
                name = "/".join(weight_name.split("/")[1:])
                names[name] = np.asarray(group[weight_name])
                saved[name] = names[name]
            per_layer[layer] = names
    return saved, per_layer, missing_layers, unexpected_layers


@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("fixture", FIXTURES)
def test_h5_resolves_like_transformers_4_tf_loader(fixture, network, tmp_path_factory):
    out = convert(fixture, network, tmp_path_factory)
    pt = load_file(str(out / "model.safetensors"))
    saved, per_layer, missing_layers, unexpected_layers = load_tf_weights_from_h5(out / "tf_model.h5", network)
    assert not missing_layers and not unexpected_layers, (missing_layers, unexpected_layers)

    with h5py.File(out / "tf_model.h5", "r") as f:
        assert f.attrs["backend"] == "tensorflow"
        assert h5py.check_string_dtype(f.attrs.get_id("layer_names").dtype).length is None  # vlen, as Keras
        assert [n for n in f.attrs["layer_names"]] == MODEL_LAYERS[network]

    prefix = MODEL_NAME[network]
    state = {}
    for name, value in saved.items():
        assert value.dtype == np.float32, (name, value.dtype)
        pt_name, transpose = convert_tf_weight_name_to_pt_weight_name(f"{prefix}/{name}", value.shape)
        assert pt_name in pt, f"{name} -> {pt_name}: not in model.safetensors"
        expected = pt[pt_name].T if transpose else pt[pt_name]
        assert value.shape == expected.shape, (name, value.shape, expected.shape)
        assert np.array_equal(value, expected), f"{name}: values differ from safetensors {pt_name}"
        state[pt_name] = torch.from_numpy(np.ascontiguousarray(value.T if transpose else value))
    # every PyTorch weight has its TF weight (generator_lm_head.weight is tied, absent from both)
    assert set(state) == set(pt), sorted(set(pt) ^ set(state))
    # independent of the writer: the h5 weights, as the TF loader resolved them, computing TensorFlow's logits
    model = HEAD_CLASS[network](ElectraConfig.from_pretrained(out))
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected, unexpected
    assert set(missing) <= {"generator_lm_head.weight"}, missing
    logits_diff = tf_logits_diff(model, fixture, network)
    assert logits_diff <= LOGITS_TOLERANCE, f"{fixture}/{network}: h5 weights give logits {logits_diff} from TensorFlow's"
    if network == "generator":
        # Keras repeats the tied embeddings under generator_lm_head; identical to the electra group's
        lm = per_layer["generator_lm_head"]
        assert sorted(lm) == sorted(["generator_lm_head/bias:0"] + [
            n for n in per_layer["electra"] if n.startswith("electra/embeddings/")])
        for n in lm:
            if n.startswith("electra/"):
                assert np.array_equal(lm[n], per_layer["electra"][n]), n
    record(test="h5_tf_loader", fixture=fixture, network=network, tensors=len(saved),
           logits_max_abs_diff_vs_tensorflow=logits_diff)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_h5_narrow_dtypes(dtype, tmp_path_factory):
    fixture, network = FIXTURES[0], "discriminator"
    out = convert(fixture, network, tmp_path_factory, dtype)
    # numpy has no bfloat16: take the raw 16-bit patterns through torch
    pt = {k: v.view(torch.int16).numpy().view(np.uint16)
          for k, v in load_torch_file(str(out / "model.safetensors")).items()}
    saved, _, missing, _ = load_tf_weights_from_h5(out / "tf_model.h5", network)
    assert not missing
    prefix = MODEL_NAME[network]
    for name, value in saved.items():
        pt_name, transpose = convert_tf_weight_name_to_pt_weight_name(f"{prefix}/{name}", value.shape)
        expected = pt[pt_name].T if transpose else pt[pt_name]
        if dtype == "float16":
            assert value.dtype == np.float16, (name, value.dtype)   # <f2, same bits as the safetensors F16
            assert np.array_equal(value.view(np.uint16), expected), name
        else:
            # HDF5 has no bfloat16: bfloat16-rounded values stored exactly as float32 (the Keras variables' type)
            assert value.dtype == np.float32, (name, value.dtype)
            bf16_bits = expected.astype(np.uint32) << 16
            assert np.array_equal(value.view(np.uint32), bf16_bits), name
