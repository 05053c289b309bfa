"""Swaps the head but never freezes the backbone: it is a frozen backbone only by luck."""

GOTCHA = r"backbone params still require grad"

from torch import nn
from torchvision.models import ResNet18_Weights, resnet18

from solution_copy import solution_with


def build_model(num_classes):
    model = resnet18(weights=ResNet18_Weights.DEFAULT)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model


_solution = solution_with("08", build_model=build_model)


def __getattr__(name):
    return getattr(_solution, name)
