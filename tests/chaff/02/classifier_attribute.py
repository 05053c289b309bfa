"""Assigns the new head to `model.classifier`, VGG's name for it: resnet18 keeps calling model.fc."""

GOTCHA = r"model.fc is still 1000 x 512, and a new layer sits in model.classifier"

from torch import nn


def swap_head(model, num_classes):
    model.classifier = nn.Linear(model.fc.in_features, num_classes)
    return model
