"""Writes the ONNX files the import tests read, with PyTorch's own exporter (torch.onnx.export).

Run with Debian's PyTorch: /usr/bin/python3 make_models.py (writes mlp.onnx, cnn.onnx,
the encoder*.onnx files and tokens_mlp.onnx next to this script). Weights are seeded, so the files are reproducible.
"""
import os
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


def export(module, example, name, batch_axis=0, opset=17):
    module.eval()
    torch.onnx.export(module, example, os.path.join(HERE, name), input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {batch_axis: "B"}, "y": {batch_axis: "B"}}, opset_version=opset,
                      do_constant_folding=True)


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



def perturbed(module):
    """Every parameter moved off its initial value, so that no two initializers are equal
    (PyTorch's exporter shares equal ones, LayerNorm's ones and zero biases) and each is checked."""
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.add_(0.1 * torch.randn_like(parameter))
    return module


# Eval mode: dropout is the identity.
torch.manual_seed(2)
export(perturbed(nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32, batch_first=True)),
       torch.randn(2, 5, 16), "encoder.onnx")

torch.manual_seed(4)
export(perturbed(nn.TransformerEncoderLayer(d_model=16, nhead=4, dim_feedforward=24, activation="gelu",
                                            norm_first=True, batch_first=True)),
       torch.randn(2, 7, 16), "encoder_gelu_norm_first.onnx")

# Two layers of nn.TransformerEncoder: two attentions, named layers.0.self_attn and layers.1.self_attn.
torch.manual_seed(6)
export(perturbed(nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32, batch_first=True), 2)),
       torch.randn(2, 5, 16), "encoder_stack.onnx")

# Opset 14 has no LayerNormalization: PyTorch writes it out (ReduceMean, Sub, Pow, Sqrt, Div, Mul, Add).
torch.manual_seed(5)
export(perturbed(nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32, batch_first=True)),
       torch.randn(2, 5, 16), "encoder_opset14.onnx", opset=14)

# Sequence first (PyTorch's default layout): the batch is the input's second dimension.
torch.manual_seed(2)
export(perturbed(nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32)),
       torch.randn(5, 2, 16), "encoder_seq_first.onnx", batch_axis=1)

# On 3-D input PyTorch writes a Linear as MatMul + Add (Gemm takes matrices only).
torch.manual_seed(3)
export(nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 8)), torch.randn(2, 5, 16), "tokens_mlp.onnx")
