"""Builds resnet18 without weights: the right architecture, frozen, but a random init."""

GOTCHA = r"the model was\s+built without its weights"

from torch import nn
from torchvision.models import resnet18

from solution_copy import solution_with


def build_model(num_classes):
    model = resnet18()  # no weights=...
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model


_solution = solution_with("08", build_model=build_model)


def __getattr__(name):
    return getattr(_solution, name)
