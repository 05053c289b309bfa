"""Freezes each top-level block, swaps the head and states that the head trains."""

from torch import nn


def feature_extractor(model, num_classes):
    for child in model.children():
        child.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    model.fc.requires_grad_(True)  # already true for a new layer; said for the reader
    return model
