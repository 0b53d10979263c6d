"""Writes the torch.save fixtures PytorchBinFileTest reads. Run with torch 2.13 (the interop venv):

    "$(testdata/bench/bench-python.sh)" hf-writer/src/test/resources/pytorch/make_torch_fixtures.py

real/pytorch_model.bin  a tiny module's state_dict (OrderedDict with _metadata -> BUILD), with a tied pair (two keys,
                        one storage), two views of one storage at different offsets (one non-contiguous), an
                        nn.Parameter (_rebuild_parameter), float16, bfloat16, int64 and a 0-dim tensor;
real/expected.json      every key's dtype, shape, storage-sharing group and values (row-major) as torch sees them.
exact_<dtype>/pytorch_model.bin
                        torch.save(OrderedDict) of the tensors PytorchWriterTest writes, to compare byte for byte.
"""
import collections
import json
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(5, 3)
        self.dense = torch.nn.Linear(3, 3)
        self.head = torch.nn.Linear(3, 5, bias=False)
        self.head.weight = self.embed.weight  # tied: one storage, two keys
        self.register_buffer("position_ids", torch.arange(4).unsqueeze(0))


def real():
    torch.manual_seed(0)
    sd = Tiny().state_dict()
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 8
    sd["shared.row"] = base[2]          # storage offset 12
    sd["shared.transposed"] = base.t()  # stride (1, 6)
    sd["param"] = torch.nn.Parameter(torch.tensor([0.5, -1.25]), requires_grad=False)
    sd["half"] = torch.tensor([[1.0, -2.5], [65504.0, 6.1035e-05]], dtype=torch.float16)
    sd["bf16"] = torch.tensor([1.0, -3.140625, 1e30], dtype=torch.bfloat16)
    sd["scalar"] = torch.tensor(7.25)
    out = HERE / "real"
    out.mkdir(exist_ok=True)
    torch.save(sd, out / "pytorch_model.bin")
    loaded = torch.load(out / "pytorch_model.bin", weights_only=True)
    groups = {}
    expected = {}
    for k, v in loaded.items():
        ptr = v.untyped_storage().data_ptr()
        expected[k] = {
            "dtype": str(v.dtype).removeprefix("torch."),
            "shape": list(v.shape),
            "storage_group": groups.setdefault(ptr, len(groups)),
            "values": v.double().flatten().tolist() if v.is_floating_point() else v.flatten().tolist(),
        }
    (out / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")


# Must match PytorchWriterTest.TENSORS: value j of tensor i = (j - 3) * 0.25 + i
EXACT = [("embeddings.weight", (4, 3)), ("layer.0.bias", (5,)), ("scalar", ()), ("four.d", (2, 1, 2, 2))]


def exact():
    for dtype in (torch.float32, torch.float16, torch.bfloat16):
        sd = collections.OrderedDict()
        for i, (name, shape) in enumerate(EXACT):
            n = 1
            for d in shape:
                n *= d
            sd[name] = ((torch.arange(n, dtype=torch.float64) - 3) * 0.25 + i).reshape(shape).to(dtype)
        out = HERE / f"exact_{str(dtype).removeprefix('torch.')}"
        out.mkdir(exist_ok=True)
        torch.save(sd, out / "pytorch_model.bin")


if __name__ == "__main__":
    print("torch", torch.__version__)
    real()
    exact()
