"""Builds the right architecture but forgets the weights: a random init."""

GOTCHA = "not carrying the pretrained weights"

from torchvision.models import ResNet18_Weights, resnet18


def load_pretrained():
    return resnet18()


def imagenet_categories():
    return list(ResNet18_Weights.DEFAULT.meta["categories"])
