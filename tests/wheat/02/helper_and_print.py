"""A small helper builds the head, and the swap says what it did."""

from torch import nn


def new_head(old_head: nn.Linear, num_classes: int) -> nn.Linear:
    """A fresh, trainable layer that reads what the old head read."""
    return nn.Linear(old_head.in_features, num_classes)


def swap_head(model: nn.Module, num_classes: int) -> nn.Module:
    before = model.fc.out_features
    model.fc = new_head(model.fc, num_classes)
    print(f"head: {before} -> {model.fc.out_features} outputs")
    return model
