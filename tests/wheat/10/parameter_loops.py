"""The lesson's loops over parameters: freeze and unfreeze flag by flag, groups picked by name."""

import torch
from torch import nn
from torchvision.models import ResNet18_Weights, resnet18

from solution_copy import solution_with


def build_model(num_classes):
    model = resnet18(weights=ResNet18_Weights.DEFAULT)
    for p in model.parameters():
        p.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model


def unfreeze_layer4(model, optimizer, lr):
    layer4 = [p for name, p in model.named_parameters() if name.startswith("layer4.")]
    for p in layer4:
        p.requires_grad = True
    optimizer.param_groups[0]["lr"] = lr
    optimizer.add_param_group({"params": layer4, "lr": lr * 0.1})
    return optimizer


_solution = solution_with("10", build_model=build_model, unfreeze_layer4=unfreeze_layer4)


def __getattr__(name):
    return getattr(_solution, name)
