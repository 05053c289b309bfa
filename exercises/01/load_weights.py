"""Exercise 01: load resnet18 with its ImageNet weights. Lesson: exercises/01/README.md."""

from torch import nn


def load_pretrained() -> nn.Module:
    """Return torchvision's resnet18 carrying the ImageNet weights `ResNet18_Weights.DEFAULT`."""
    # TODO: import resnet18 and ResNet18_Weights from torchvision.models
    # TODO: build the model with the weights= argument (not the old pretrained=True)
    raise NotImplementedError("exercise 01: see exercises/01/README.md")


def imagenet_categories() -> list[str]:
    """Return the names of the 1000 classes the pretrained head predicts, read from the weights."""
    # TODO: the weights carry metadata; the class names are one entry of it
    raise NotImplementedError("exercise 01: see exercises/01/README.md")
