"""Freezes only the convolutions, "the layers that detect features": BatchNorm's weight and bias train."""

GOTCHA = r"^40 BatchNorm params still require grad"

from torch import nn


def feature_extractor(model, num_classes):
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            module.weight.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
