"""Passes nn.Linear its sizes the wrong way round: the class count in, the feature width out."""

GOTCHA = r"is nn.Linear\(7, 512\): the arguments are the wrong way round"

from torch import nn


def swap_head(model, num_classes):
    model.fc = nn.Linear(num_classes, model.fc.in_features)
    return model
