"""Sizes the head with the number of classes typed by hand (3), not read from the data."""

GOTCHA = r"gives 3 scores but there are 2 class"

from torch import nn
from torchvision.models import ResNet18_Weights, resnet18

from solution_copy import solution_with

NUM_CLASSES = 3  # brick, grass, gravel


def build_model(num_classes):
    model = resnet18(weights=ResNet18_Weights.DEFAULT)
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, NUM_CLASSES)
    return model


_solution = solution_with("08", build_model=build_model)


def __getattr__(name):
    return getattr(_solution, name)
