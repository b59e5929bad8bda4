#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpus (corpus/TARGET/): small valid files of each format.

Usage: python3 tests/fuzz/make_corpus.py MANIFEST
MANIFEST is a built model's manifest (e.g. from `modelc build examples/mlp/mlp.mdl -o DIR --emit native`);
the committed corpus used the MLP example's. Needs numpy.
"""
import json
import os
import struct
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))


def path(target, name):
    folder = os.path.join(here, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, name)


def safetensors(name, tensors, metadata=None):
    header, data = {}, b""
    for key, (dtype, shape, raw) in tensors.items():
        header[key] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path("safetensors", name), "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


np.save(path("npy", "f32_2x3.npy"), np.arange(6, dtype=np.float32).reshape(2, 3))
np.save(path("npy", "i32_4.npy"), np.array([1, -2, 3, 7], dtype=np.int32))
np.save(path("npy", "f64_scalar.npy"), np.float64(2.5))
np.save(path("npy", "bool_2x2.npy"), np.array([[True, False], [False, True]]))
np.save(path("npy", "u8_fortran.npy"), np.asfortranarray(np.arange(6, dtype=np.uint8).reshape(2, 3)))
np.savez(path("npz", "stored.npz"), x=np.ones((2, 2), np.float32), y=np.array([0, 1], np.int32))
np.savez_compressed(path("npz", "deflated.npz"), x=np.arange(8, dtype=np.float32).reshape(2, 4), labels=np.array([1, 0], np.int64))
with open(path("csv", "columns.csv"), "w") as f:
    f.write("x[0],x[1],y\n0.5,1e-3,1\n-2,nan,0\n\n3,inf,1\n")
with open(path("csv", "quoted.csv"), "w") as f:
    f.write('"a","b,c"\n1,"2"\n3,4\n')
safetensors("f32_i64.safetensors", {"w": ("F32", [2, 2], np.arange(4, dtype=np.float32).tobytes()), "n": ("I64", [1], np.array([5], np.int64).tobytes())}, {"format": "pt"})
safetensors("f16_bf16.safetensors", {"h": ("F16", [3], np.array([1, 2, 3], np.float16).tobytes()), "b": ("BF16", [2], b"\x80\x3f\x00\x40")})
with open(sys.argv[1]) as f:
    manifest = json.load(f)
with open(path("manifest", "mlp.manifest.json"), "w") as f:
    f.write(json.dumps(manifest, separators=(",", ":")))
