"""Gives the head at least two outputs, believing a classifier cannot have just one."""

GOTCHA = r"gives 2 scores but there are 1 class\."

from torch import nn


def swap_head(model, num_classes):
    model.fc = nn.Linear(model.fc.in_features, max(num_classes, 2))
    return model
