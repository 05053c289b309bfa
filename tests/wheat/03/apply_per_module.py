"""Freezes module by module with Module.apply."""

from torch import nn


def _freeze(module: nn.Module) -> None:
    for param in module.parameters(recurse=False):
        param.requires_grad_(False)


def feature_extractor(model: nn.Module, num_classes: int) -> nn.Module:
    model.apply(_freeze)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
