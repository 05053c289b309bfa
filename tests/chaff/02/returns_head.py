"""Builds the right head but returns it instead of the model it belongs to."""

GOTCHA = r"returned a Linear layer, the new head, instead of the model"

from torch import nn


def swap_head(model, num_classes):
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model.fc
