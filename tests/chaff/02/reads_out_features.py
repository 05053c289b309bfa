"""Sizes the new head's input from the old head's output (1000 ImageNet scores), not its input."""

GOTCHA = r"takes 1000 inputs.*old head.s out_features"

from torch import nn


def swap_head(model, num_classes):
    model.fc = nn.Linear(model.fc.out_features, num_classes)
    return model
