"""Swaps the head on a deep copy, so the model the caller passed in (and keeps using) is unchanged."""

GOTCHA = r"returned a different ResNet object from the model it was given"

import copy

from torch import nn


def swap_head(model, num_classes):
    model = copy.deepcopy(model)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
