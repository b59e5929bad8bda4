"""Writes the three ONNX files of bench/onnx_bench.sh that ModelC did not write: a wider MLP, a
small CNN and a Transformer encoder layer, exported by PyTorch's torch.onnx.export (opset 17,
batch as a named dimension, eval mode).
Usage: /usr/bin/python3 bench/onnx_models.py OUT_DIR"""
import os
import sys
import torch
from torch import nn

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def export(module, example, name):
    module.eval()
    torch.onnx.export(module, example, os.path.join(out, name), input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "B"}, "y": {0: "B"}}, opset_version=17)


torch.manual_seed(0)
export(nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10)),
       torch.randn(2, 784), "torch_mlp.onnx")
torch.manual_seed(1)
export(nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                     nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                     nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(64 * 8 * 8, 10)),
       torch.randn(2, 3, 32, 32), "torch_cnn.onnx")
torch.manual_seed(2)
export(nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=256, batch_first=True),
       torch.randn(2, 16, 64), "torch_encoder.onnx")
