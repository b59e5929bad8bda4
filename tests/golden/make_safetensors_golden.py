#!/usr/bin/env python3
"""Writes tests/golden/checkpoints/*.safetensors by hand (json + struct + numpy), independently of
ModelC's writer and without torch or the safetensors package, so the C# reader is checked against
a second implementation of the format. Run with /usr/bin/python3 from anywhere; the outputs are
committed, and tests/ModelC.Runtime.Tests/Checkpoints/PythonGoldenTests.cs holds the same values.

python.safetensors: dtypes PyTorch writes (F64, I64, F16, BF16 beside F32, I32, BOOL), a scalar,
an empty tensor, metadata, and data laid out in the reverse of the header's order (the format
allows any order). python_crc.safetensors: the same with a modelc.crc32c checksum computed here.
"""
import json
import os
import struct

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "checkpoints")


def crc32c(data: bytes) -> int:
    """Bitwise CRC-32C (Castagnoli, reflected 0x82F63B78): slow and obviously right."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def bf16(values):
    """bfloat16 bytes: the top 16 bits of each float32 (the values are chosen exact in bf16)."""
    bits = np.asarray(values, dtype="<f4").view("<u4") >> 16
    return bits.astype("<u2").tobytes()


TENSORS = [
    # name, dtype, shape, little-endian bytes
    ("embed.weight", "F32", [2, 3], np.array([[0.5, -1.25, 3.0], [1e-3, 2.5e6, -0.0]], dtype="<f4").tobytes()),
    ("token_ids", "I32", [4], np.array([7, -3, 2147483647, -2147483648], dtype="<i4").tobytes()),
    ("scale", "F64", [3], np.array([0.1, -2.0, 1e300], dtype="<f8").tobytes()),
    ("temperature", "F32", [], np.array(0.75, dtype="<f4").tobytes()),
    ("step", "I64", [], np.array(123456, dtype="<i8").tobytes()),
    ("counts", "I64", [2], np.array([-5, 2**31 - 1], dtype="<i8").tobytes()),
    ("half", "F16", [2], np.array([1.5, -0.25], dtype="<f2").tobytes()),
    ("bhalf", "BF16", [2], bf16([3.0, -0.5])),
    ("mask", "BOOL", [3], np.array([True, False, True]).tobytes()),
    ("empty", "F32", [0, 4], b""),
]


def write(path, metadata, with_crc):
    # Data in reverse header order: offsets need not follow the header.
    offsets, data, pos = {}, b"", 0
    for name, _, _, raw in reversed(TENSORS):
        offsets[name] = [pos, pos + len(raw)]
        data += raw
        pos += len(raw)
    if with_crc:
        metadata = dict(metadata, **{"modelc.crc32c": "%08x" % crc32c(data)})
    header = {"__metadata__": metadata}
    for name, dtype, shape, _ in TENSORS:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": offsets[name]}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    metadata = {"format": "pt", "made_by": "make_safetensors_golden.py"}
    write(os.path.join(OUT, "python.safetensors"), metadata, with_crc=False)
    write(os.path.join(OUT, "python_crc.safetensors"), metadata, with_crc=True)
    # The CRC of a small known buffer, which the C# tests check their CRC-32C against.
    print("crc32c(b'123456789') = %08x" % crc32c(b"123456789"))
    print("crc32c(range(256) bytes) = %08x" % crc32c(bytes(range(256))))


if __name__ == "__main__":
    main()
