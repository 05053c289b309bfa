"""Sizes the head for the two classes of the tutorial it was copied from, whatever it is asked for."""

GOTCHA = r"gives 2 scores but there are 7 classes"

from torch import nn


def swap_head(model, num_classes):
    model.fc = nn.Linear(model.fc.in_features, 2)
    return model
