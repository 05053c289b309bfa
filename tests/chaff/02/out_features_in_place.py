"""Edits the old head's `out_features`: the label changes, the 1000-row weight stays."""

GOTCHA = r"still has 1000 rows.*Setting `out_features`"

from torch import nn


def swap_head(model, num_classes):
    model.fc.out_features = num_classes
    return model
