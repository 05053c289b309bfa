"""Indexes the enum by member name and keeps the categories in a typed helper."""

from torch import nn
from torchvision.models import ResNet, ResNet18_Weights, resnet18


def _weights() -> ResNet18_Weights:
    return ResNet18_Weights["DEFAULT"]


def load_pretrained() -> ResNet:
    model: nn.Module = resnet18(weights=_weights())
    assert isinstance(model, ResNet)
    return model


def imagenet_categories() -> list[str]:
    categories = _weights().meta["categories"]
    return list(map(str, categories))
