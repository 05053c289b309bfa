"""Keeps ImageNet's head and stacks a new layer on top of its 1000 scores instead of replacing it."""

GOTCHA = r"should be an nn.Linear, but it is Sequential"

from torch import nn


def swap_head(model, num_classes):
    model.fc = nn.Sequential(model.fc, nn.Linear(model.fc.out_features, num_classes))
    return model
