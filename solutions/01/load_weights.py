"""Exercise 01, reference solution: load resnet18 with its ImageNet weights."""

from torch import nn
from torchvision.models import ResNet18_Weights, resnet18


def load_pretrained() -> nn.Module:
    """Return torchvision's resnet18 carrying the ImageNet weights `ResNet18_Weights.DEFAULT`."""
    return resnet18(weights=ResNet18_Weights.DEFAULT)


def imagenet_categories() -> list[str]:
    """Return the names of the 1000 classes the pretrained head predicts, read from the weights."""
    return list(ResNet18_Weights.DEFAULT.meta["categories"])
