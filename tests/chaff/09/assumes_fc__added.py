"""Reads the width off the last Linear, but puts the new layer at `model.fc` on every family."""

GOTCHA = r"added model\.fc, which mobilenet_v2's forward never calls"

from torch import nn


def swap_classifier(model, num_classes):
    last = [m for m in model.modules() if isinstance(m, nn.Linear)][-1]
    model.fc = nn.Linear(last.in_features, num_classes)
    return model
