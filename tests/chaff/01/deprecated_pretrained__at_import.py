"""Loads the model once at import time with pretrained=True, and hands out copies of it."""

GOTCHA = r"Importing your file already loads weights with the deprecated `pretrained=True`"

import copy

from torchvision.models import ResNet18_Weights, resnet18

_MODEL = resnet18(pretrained=True)


def load_pretrained():
    return copy.deepcopy(_MODEL)


def imagenet_categories():
    return list(ResNet18_Weights.DEFAULT.meta["categories"])
