"""Builds the head directly with the old head's dtype and device (factory keyword arguments)."""

from torch import nn


def swap_head(model: nn.Module, num_classes: int) -> nn.Module:
    old = model.fc
    model.fc = nn.Linear(old.in_features, num_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model
