"""Dumps an HDF5 file's structure with h5py, in the format of testdata/hf-tf-golden/*/layout.txt.

usage: h5_layout.py FILE [--deep]
--deep adds, per attribute and dataset, the low-level HDF5 type (class, size, string padding, charset, byte
order) so two files can be compared beyond what layout.txt shows.
"""
import sys

import h5py
import numpy as np


def string_type(dtype):
    info = h5py.check_string_dtype(dtype)
    if info is None:
        return None
    kind = "vlen" if info.length is None else f"fixed{info.length}"
    return f"string({kind},{info.encoding})"


def low_level(tid):
    cls = tid.get_class()
    parts = [f"class={cls}", f"size={tid.get_size() if not (cls == h5py.h5t.STRING and tid.is_variable_str()) else 'var'}"]
    if cls == h5py.h5t.STRING:
        parts += [f"vlen={tid.is_variable_str()}", f"cset={tid.get_cset()}", f"strpad={tid.get_strpad()}"]
    elif cls in (h5py.h5t.FLOAT, h5py.h5t.INTEGER):
        parts += [f"order={tid.get_order()}"]
    return " ".join(parts)


def attr_lines(obj, deep):
    out = []
    for name in obj.attrs:
        aid = h5py.h5a.open(obj.id, name.encode())
        dtype = aid.dtype
        shape = aid.shape
        out.append(f"  @{name} h5type={string_type(dtype) or dtype} h5shape={shape}")
        if deep:
            out.append(f"  @{name} lowlevel: {low_level(aid.get_type())} space={aid.get_space().get_simple_extent_type()}")
        value = obj.attrs[name]
        if isinstance(value, np.ndarray) and value.dtype == object:
            out.append(f"  @{name}: array(dtype=object, len={len(value)})")
            out.extend(f"      {v!r}" for v in value)
        elif isinstance(value, np.ndarray) and value.dtype.kind == "S":
            out.append(f"  @{name}: array(dtype={value.dtype}, len={len(value)})")
            out.extend(f"      {v!r}" for v in value)
        elif isinstance(value, np.ndarray):
            out.append(f"  @{name}: array(dtype={value.dtype}, shape={value.shape}) {value.tolist()}")
        else:
            out.append(f"  @{name}: {value!r}")
    return out


def dump(path, deep=False):
    lines = []
    with h5py.File(path, "r") as f:
        lines.append(f"FILE {path.rsplit('/', 1)[-1]}")
        lines.append(f"userblock_size={f.userblock_size} libver={f.libver} driver={f.driver}")

        def walk(group):
            lines.append(f"GROUP {group.name}")
            lines.extend(attr_lines(group, deep))
            for key in group:
                link = group.get(key, getlink=True)
                if not isinstance(link, h5py.HardLink):
                    lines.append(f"LINK {group.name}/{key} {type(link).__name__}")
                    continue
                obj = group[key]
                if isinstance(obj, h5py.Group):
                    walk(obj)
                else:
                    lines.append(f"DATASET {obj.name} shape={obj.shape} dtype={obj.dtype} chunks={obj.chunks} "
                                 f"compression={obj.compression}")
                    if deep:
                        lines.append(f"  lowlevel: {low_level(obj.id.get_type())} dtype.str={obj.dtype.str}")
                    lines.extend(attr_lines(obj, deep))

        walk(f)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(dump(sys.argv[1], deep="--deep" in sys.argv[2:]))
