"""Finds the final layer, then edits its `out_features` (or `out_channels`) instead of replacing it."""

GOTCHA = r"still has 1000 rows.*Setting `out_features`"

from torch import nn


def swap_classifier(model, num_classes):
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if layers:
        layers[-1].out_features = num_classes
    else:
        [m for m in model.modules() if isinstance(m, nn.Conv2d)][-1].out_channels = num_classes
    return model
