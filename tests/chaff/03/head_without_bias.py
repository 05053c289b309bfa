"""Freezes, then swaps in a head built with bias=False: fewer params, and no per-class offset."""

GOTCHA = r"model.fc has no bias \(bias=False\).*Keep nn.Linear's default bias=True"

from torch import nn


def feature_extractor(model, num_classes):
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes, bias=False)
    return model
