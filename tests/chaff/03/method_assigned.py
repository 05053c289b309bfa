"""Assigns to `requires_grad_` (the method) instead of calling it: a plain value hides the method."""

GOTCHA = r"`requires_grad_ = False` on model replaced a method with a plain value"

from torch import nn


def feature_extractor(model, num_classes):
    model.requires_grad_ = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
