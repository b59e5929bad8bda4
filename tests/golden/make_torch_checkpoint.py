#!/usr/bin/python3
"""Checkpoint interoperability with PyTorch, both ways, on a small classifier.

    /usr/bin/python3 tests/golden/make_torch_checkpoint.py
        writes tests/golden/checkpoints/torch_classifier.safetensors: the state_dict of a torch
        module (default torch initialisation, seed 0, float32) under ModelC's parameter names, and
        torch_classifier.json: the ModelC program, an input batch and torch's logits for it. The
        C# test (CheckpointInteropTests) loads the file into the compiled model and compares.

    /usr/bin/python3 tests/golden/make_torch_checkpoint.py --load FILE
        loads a safetensors file written by ModelC (`modelc train` on the same program) into the
        torch module with load_state_dict(strict=True) and prints torch's logits for the input batch.

The safetensors format is written and read here by hand (json + struct), independently of ModelC.
"""
import argparse
import json
import os
import struct

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "checkpoints")

PROGRAM = """import std.nn;
model Classifier(B: batch) {
    input  x: f32[B, 2];
    input  y: i32[B];
    output logits = (linear(32) >> tanh >> linear(32) >> tanh >> linear(3))(x);
    loss   cross_entropy(logits, y);
}
"""

# torch's Sequential indices -> ModelC's names (the point-free chain numbers its linear layers).
NAMES = {"0": "linear_0", "2": "linear_1", "4": "linear_2"}


def module():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 3))


def to_modelc(key):
    index, kind = key.split(".")
    return f"{NAMES[index]}.{kind}"


def write_safetensors(path, tensors):
    header, data = {}, b""
    for name, t in tensors.items():
        raw = t.detach().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


def read_safetensors(path):
    with open(path, "rb") as f:
        blob = f.read()
    (length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + length])
    base = 8 + length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", f"{name}: {entry['dtype']}"
        begin, end = entry["data_offsets"]
        array = np.frombuffer(blob[base + begin:base + end], dtype="<f4").reshape(entry["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


def inputs():
    return torch.tensor([[0.5, -1.0], [0.0, 0.25], [-0.75, 0.8], [1.2, 0.3], [-0.1, -0.9]], dtype=torch.float32)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--load", help="a ModelC safetensors file to load into the torch module")
    args = parser.parse_args()
    net = module()
    if args.load:
        stored = read_safetensors(args.load)
        back = {v: k for k, v in NAMES.items()}
        state = {f"{back[name.split('.')[0]]}.{name.split('.')[1]}": t for name, t in stored.items()}
        net.load_state_dict(state, strict=True)
        print("loaded", len(state), "tensors with strict=True; logits:")
        print(net(inputs()).detach().numpy())
        return
    os.makedirs(OUT, exist_ok=True)
    write_safetensors(os.path.join(OUT, "torch_classifier.safetensors"), {to_modelc(k): v for k, v in net.state_dict().items()})
    with torch.no_grad():
        logits = net(inputs())
    record = {
        "program": PROGRAM,
        "model": "Classifier",
        "x": inputs().tolist(),
        "logits": [[float(v) for v in row] for row in logits.tolist()],
    }
    with open(os.path.join(OUT, "torch_classifier.json"), "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
