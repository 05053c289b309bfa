"""Ignores the model it is given and builds its own pretrained resnet18: right on resnet18 only."""

GOTCHA = r"returned a different ResNet object from the model it was given"

from torch import nn
from torchvision.models import ResNet18_Weights, resnet18


def feature_extractor(model, num_classes):
    model = resnet18(weights=ResNet18_Weights.DEFAULT)
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
