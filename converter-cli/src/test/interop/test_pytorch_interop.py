"""--format pytorch: pytorch_model.bin (torch.save zip format) checked with torch.load(weights_only=True) in torch 2.13,
with transformers' from_pretrained, and with Debian's system torch 1.13 (/usr/bin/python3, apt package python3-torch)."""
import functools
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from conftest import (CHECKPOINTS, FIXTURES, HEAD_CLASS, LOGITS_TOLERANCE, NETWORKS, VOCAB, cli, record,
                      tf_logits_diff)

DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}
# Half-precision weights and arithmetic vs TensorFlow float32. Measured on the fixtures (|logits| <= ~4): float16 max
# 5.8e-3 (3.5e-3 of it from rounding the weights alone, i.e. with float32 arithmetic), bfloat16 max 4.4e-2 (3.4e-2 from
# the weights). That is a few units of each format's relative precision (2^-11, 2^-8) times the logits' size, after
# two layers; the bounds leave ~3.5x and ~2.3x headroom over the worst fixture.
HALF_LOGITS_BOUND = {"float16": 2e-2, "bfloat16": 1e-1}
SHARD_FIXTURE = "small" if "small" in FIXTURES else FIXTURES[0]
SYSTEM_PYTHON = "/usr/bin/python3"

_outputs = {}


@pytest.fixture
def convert(tmp_path_factory):
    """convert(fixture, network, *options) -> folder written by the CLI (cached per argument list)."""
    def make(fixture, network, *options):
        key = (fixture, network, options)
        if key not in _outputs:
            tag = "-".join(o.strip("-").replace(",", "+") for o in options)
            out = tmp_path_factory.mktemp(f"{fixture}-{network}-{tag}"[:60]) / "model"
            cli("convert", CHECKPOINTS / fixture, "--model", network, "--out", out, "--vocab", VOCAB,
                "--hparams", CHECKPOINTS / fixture / "hparams.json", "--quiet", *options)
            _outputs[key] = out
        return _outputs[key]
    return make


def only_bin(out, tmp_path):
    """A copy of the folder without any safetensors file, so transformers must read the .bin files."""
    dest = tmp_path / "bin-only"
    shutil.copytree(out, dest, ignore=shutil.ignore_patterns("*.safetensors", "model.safetensors.index.json"))
    assert not list(dest.glob("*.safetensors"))
    return dest


def load_weights_only(path, **kwargs):
    return torch.load(path, map_location="cpu", weights_only=True, **kwargs)


def raw_digest(t):
    """sha256 of the tensor's element bytes (bit-exact comparison across torch versions and dtypes)."""
    as_int = {2: torch.int16, 4: torch.int32, 8: torch.int64}[t.element_size()]
    return hashlib.sha256(t.contiguous().view(as_int).numpy().tobytes()).hexdigest()


def logits_diff(model_dir, fixture, network, **kwargs):
    model, info = HEAD_CLASS[network].from_pretrained(model_dir, output_loading_info=True, **kwargs)
    assert not info["missing_keys"], info
    assert not info["unexpected_keys"], info
    assert not info["mismatched_keys"], info
    return tf_logits_diff(model, fixture, network), model


@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("fixture", FIXTURES)
def test_pytorch_bin_loads_with_weights_only(fixture, network, convert, converted, monkeypatch):
    out = convert(fixture, network, "--format", "pytorch")
    assert (out / "pytorch_model.bin").is_file()
    assert not (out / "model.safetensors").exists()
    expected = load_file(converted(fixture, network) / "model.safetensors")
    state = load_weights_only(out / "pytorch_model.bin")
    assert list(state) == list(expected), "keys (and their order) differ from model.safetensors"
    for k, v in expected.items():
        assert state[k].dtype == torch.float32, k
        assert state[k].shape == v.shape, k
        assert torch.equal(state[k], v), k
    # mmap loading with torch computing every storage offset from miniz's layout, cross-checked by its debug assert
    from torch.utils.serialization import config
    monkeypatch.setattr(config.load, "calculate_storage_offsets", True)
    monkeypatch.setenv("TORCH_SERIALIZATION_DEBUG", "1")
    mapped = load_weights_only(out / "pytorch_model.bin", mmap=True)
    assert all(torch.equal(mapped[k], v) for k, v in expected.items())


@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("fixture", FIXTURES)
def test_from_pretrained_pytorch_bin_matches_tensorflow(fixture, network, convert, tmp_path):
    out = only_bin(convert(fixture, network, "--format", "pytorch"), tmp_path)
    diff, _ = logits_diff(out, fixture, network)
    record(test="from_pretrained_pytorch_bin", fixture=fixture, network=network, logits_max_abs_diff=diff)
    assert diff <= LOGITS_TOLERANCE, f"{fixture}/{network}: logits differ from TensorFlow by {diff}"


@pytest.mark.parametrize("network", NETWORKS)
def test_sharded_safetensors_and_pytorch(network, convert, converted, tmp_path):
    out = convert(SHARD_FIXTURE, network, "--format", "safetensors,pytorch", "--max-shard-size", "20KB")
    bins = sorted(p.name for p in out.glob("pytorch_model*.bin"))
    n = len(bins)
    assert n > 1, bins
    assert bins == [f"pytorch_model-{i:05d}-of-{n:05d}.bin" for i in range(1, n + 1)]
    assert not (out / "pytorch_model.bin").exists()
    assert len(list(out.glob("model-*-of-*.safetensors"))) > 1
    index = json.loads((out / "pytorch_model.bin.index.json").read_text())
    expected = load_file(converted(SHARD_FIXTURE, network) / "model.safetensors")
    assert set(index["weight_map"]) == set(expected)
    seen = {}
    for name in bins:
        shard = load_weights_only(out / name)
        assert {k for k, f in index["weight_map"].items() if f == name} == set(shard), name
        for k, v in shard.items():
            assert torch.equal(v, expected[k]), k
            seen[k] = v
    assert set(seen) == set(expected)
    assert index["metadata"]["total_size"] == sum(v.numel() * v.element_size() for v in expected.values())
    diff, _ = logits_diff(only_bin(out, tmp_path), SHARD_FIXTURE, network)
    record(test="from_pretrained_pytorch_bin_sharded", fixture=SHARD_FIXTURE, network=network, shards=n,
           logits_max_abs_diff=diff)
    assert diff <= LOGITS_TOLERANCE


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("fixture", FIXTURES)
def test_half_precision_pytorch_bin(fixture, network, dtype, convert, tmp_path):
    out = convert(fixture, network, "--format", "safetensors,pytorch", "--dtype", dtype)
    torch_dtype = DTYPES[dtype]
    state = load_weights_only(out / "pytorch_model.bin")
    expected = load_file(out / "model.safetensors")
    assert list(state) == list(expected)
    for k, v in state.items():
        assert v.dtype == torch_dtype, f"{k}: {v.dtype}"
        assert torch.equal(v, expected[k]), k  # same rounding as the safetensors writer, bit for bit
    diff, model = logits_diff(only_bin(out, tmp_path), fixture, network, dtype="auto")
    assert next(model.parameters()).dtype == torch_dtype
    record(test=f"from_pretrained_pytorch_bin_{dtype}", fixture=fixture, network=network, logits_max_abs_diff=diff)
    assert diff <= HALF_LOGITS_BOUND[dtype], f"{fixture}/{network} {dtype}: logits differ from TensorFlow by {diff}"
    # the safetensors file of the same run, through from_pretrained on its own (its priority over the .bin)
    st_diff, st_model = logits_diff(out, fixture, network, dtype="auto")
    assert next(st_model.parameters()).dtype == torch_dtype
    # weights rounded to the narrow type but arithmetic in float32: the error the file itself carries
    f32_diff, _ = logits_diff(out, fixture, network, dtype=torch.float32)
    record(test=f"from_pretrained_safetensors_{dtype}", fixture=fixture, network=network, logits_max_abs_diff=st_diff,
           float32_compute_logits_max_abs_diff=f32_diff)
    assert st_diff <= HALF_LOGITS_BOUND[dtype], f"{fixture}/{network} {dtype}: safetensors logits differ by {st_diff}"
    assert f32_diff <= HALF_LOGITS_BOUND[dtype], f"{fixture}/{network} {dtype}: float32-compute logits differ by {f32_diff}"


SYSTEM_TORCH_SCRIPT = r"""
import hashlib, json, sys
import torch
as_int = {2: torch.int16, 4: torch.int32, 8: torch.int64}
out = {"torch": torch.__version__, "files": {}}
for path in sys.argv[1:]:
    state = torch.load(path, map_location="cpu", weights_only=True)
    out["files"][path] = [
        [k, str(v.dtype), list(v.shape),
         hashlib.sha256(v.contiguous().view(as_int[v.element_size()]).numpy().tobytes()).hexdigest()]
        for k, v in state.items()]
print(json.dumps(out))
"""


# the system Python, without this suite's virtual environment leaking into it
SYSTEM_ENV = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


@functools.cache
def system_torch_version():
    if not Path(SYSTEM_PYTHON).exists():
        return None
    proc = subprocess.run([SYSTEM_PYTHON, "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True,
                          env=SYSTEM_ENV)
    return proc.stdout.strip() if proc.returncode == 0 else None


@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("fixture", FIXTURES)
def test_debian_system_torch_loads_weights_only(fixture, network, convert):
    # checked before converting anything: the point is an old loader, Debian bookworm's torch 1.13
    version = system_torch_version()
    if version is None:
        pytest.skip(f"{SYSTEM_PYTHON} has no torch (Debian package python3-torch not installed)")
    if not version.startswith("1.13"):
        pytest.skip(f"{SYSTEM_PYTHON} has torch {version}, not Debian's 1.13 that this check is about")
    files = [convert(fixture, network, "--format", "pytorch") / "pytorch_model.bin"]
    for dtype in ("float16", "bfloat16"):
        files.append(convert(fixture, network, "--format", "safetensors,pytorch", "--dtype", dtype) / "pytorch_model.bin")
    if fixture == SHARD_FIXTURE:
        sharded = convert(fixture, network, "--format", "safetensors,pytorch", "--max-shard-size", "20KB")
        files += sorted(sharded.glob("pytorch_model-*-of-*.bin"))
    proc = subprocess.run([SYSTEM_PYTHON, "-c", SYSTEM_TORCH_SCRIPT, *map(str, files)], capture_output=True, text=True,
                          env=SYSTEM_ENV)
    assert proc.returncode == 0, f"system torch failed to load: {proc.stderr[-2000:]}"
    result = json.loads(proc.stdout)
    for path in files:
        state = load_weights_only(path)
        expected = [[k, str(v.dtype), list(v.shape), raw_digest(v)] for k, v in state.items()]
        assert result["files"][str(path)] == expected, path
    record(test="debian_system_torch_weights_only", fixture=fixture, network=network, torch=result["torch"],
           files=len(files))
