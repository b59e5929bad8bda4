"""Writes the ONNX files the import tests read, with PyTorch's own exporter (torch.onnx.export).

Run with Debian's PyTorch: /usr/bin/python3 make_models.py (writes mlp.onnx, cnn.onnx,
encoder.onnx and tokens_mlp.onnx next to this script). Weights are seeded, so the files are reproducible.
"""
import os
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


def export(module, example, name):
    module.eval()
    torch.onnx.export(module, example, os.path.join(HERE, name), input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "B"}, "y": {0: "B"}}, opset_version=17, do_constant_folding=True)


torch.manual_seed(0)
export(nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 4)),
       torch.randn(2, 12), "mlp.onnx")

torch.manual_seed(1)
cnn = nn.Sequential(
    nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(8, 8, 3, stride=2, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 4 * 4, 10))
with torch.no_grad():
    cnn[1].running_mean.uniform_(-0.5, 0.5)
    cnn[1].running_var.uniform_(0.5, 1.5)
export(cnn, torch.randn(2, 3, 16, 16), "cnn.onnx")

torch.manual_seed(2)
export(nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32, batch_first=True),
       torch.randn(2, 5, 16), "encoder.onnx")

# On 3-D input PyTorch writes a Linear as MatMul + Add (Gemm takes matrices only).
torch.manual_seed(3)
export(nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 8)), torch.randn(2, 5, 16), "tokens_mlp.onnx")
