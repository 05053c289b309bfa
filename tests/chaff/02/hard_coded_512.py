"""Types resnet18's feature width instead of reading it off the old head: breaks on any other backbone."""

GOTCHA = r"resnet50.*takes 512 inputs, but the backbone produces 2048 features"

from torch import nn


def swap_head(model, num_classes):
    model.fc = nn.Linear(512, num_classes)
    return model
