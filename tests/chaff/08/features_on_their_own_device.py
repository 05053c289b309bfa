"""Computes the features on the device it picks for itself, ignoring the one train() was given."""

GOTCHA = r"train\(\.\.\., device='cpu'\) tried to use MPS anyway"

import torch
from torch import nn

from solution_copy import solution_with


@torch.no_grad()
def extract_features(model, loader, device):
    device = pick_device()  # "the best device available", whatever the caller asked for
    model.eval().to(device)
    backbone = nn.Sequential(*list(model.children())[:-1], nn.Flatten())
    features, labels = [], []
    for images, targets in loader:
        features.append(backbone(images.to(device)))
        labels.append(targets.to(device))
    return torch.cat(features), torch.cat(labels)


_solution = solution_with("08", extract_features=extract_features)
pick_device = _solution.pick_device


def __getattr__(name):
    return getattr(_solution, name)
