"""Avoids batch effects by feeding images one by one, still in train mode: BatchNorm statistics drift."""

GOTCHA = r"BatchNorm buffers .* differ.*model\.eval\(\)"

import torch


def predict(model, images):
    with torch.no_grad():
        return torch.cat([model(image.unsqueeze(0)) for image in images])
