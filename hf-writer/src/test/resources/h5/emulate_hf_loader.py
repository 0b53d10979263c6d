"""Emulates transformers 4.57 load_tf_weights_from_h5 name resolution on FILE; prints 'ok N' (N HF keys)."""
import sys

import h5py
import numpy as np


def load_attributes_from_hdf5_group(group, name):  # transformers 4.57 tf_utils.py
    if name in group.attrs:
        data = [n.decode("utf8") if hasattr(n, "decode") else n for n in group.attrs[name]]
    else:
        data = []
        chunk_id = 0
        while f"{name}{chunk_id}" in group.attrs:
            data.extend(
                [n.decode("utf8") if hasattr(n, "decode") else n for n in group.attrs[f"{name}{chunk_id}"]]
            )
            chunk_id += 1
    return data


with h5py.File(sys.argv[1], "r") as f:
    keys = set()
    for layer in load_attributes_from_hdf5_group(f, "layer_names"):
        g = f[layer]
        for weight_name in load_attributes_from_hdf5_group(g, "weight_names"):
            name = "/".join(weight_name.split("/")[1:])
            value = np.asarray(g[weight_name])
            assert value.dtype in (np.float32, np.float16), (weight_name, value.dtype)
            keys.add(name)
    print("ok", len(keys))
