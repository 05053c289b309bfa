"""Computes the features under torch.no_grad() but leaves the fresh model in train mode, so
BatchNorm folds every batch into its running statistics."""

GOTCHA = r"BatchNorm buffers of the frozen backbone changed"

import torch
from torch import nn

from solution_copy import solution_with


@torch.no_grad()
def extract_features(model, loader, device):
    backbone = nn.Sequential(*list(model.children())[:-1], nn.Flatten())
    features, labels = [], []
    for images, targets in loader:
        features.append(backbone(images.to(device)))
        labels.append(targets.to(device))
    return torch.cat(features), torch.cat(labels)


_solution = solution_with("08", extract_features=extract_features)


def __getattr__(name):
    return getattr(_solution, name)
