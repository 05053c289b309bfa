"""Reads the width into a named variable first, and spells out nn.Linear's default bias."""

from torch import nn


def swap_head(model: nn.Module, num_classes: int) -> nn.Module:
    in_features = model.fc.in_features
    model.fc = nn.Linear(in_features, num_classes, bias=True)
    return model
