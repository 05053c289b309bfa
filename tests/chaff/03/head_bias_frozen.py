"""Freezes after the swap, then thaws the head's weight but forgets its bias."""

GOTCHA = r"new head has frozen params: fc.bias"

from torch import nn


def feature_extractor(model, num_classes):
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    model.requires_grad_(False)
    model.fc.weight.requires_grad = True
    return model
