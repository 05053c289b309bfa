"""Turns autograd off but leaves the model in train mode: BatchNorm still uses batch statistics."""

GOTCHA = r"change with the batch.*model\.eval\(\)"

import torch


def predict(model, images):
    with torch.no_grad():
        return model(images)
