"""Swaps `model.fc` as on a ResNet, on every family: most of them have no `fc`."""

GOTCHA = r"has no attribute 'fc'[\s\S]*on mobilenet_v2, whose final layer is model\.classifier\[1\]\. Not every family calls its head `fc`"

from torch import nn


def swap_classifier(model, num_classes):
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
