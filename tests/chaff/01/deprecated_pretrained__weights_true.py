"""Passes weights=True, mixing the old boolean with the new argument: loads, with a deprecation warning."""

GOTCHA = r"asked for weights= set to something other than a weights enum.*torchvision warned"

from torchvision.models import ResNet18_Weights, resnet18


def load_pretrained():
    return resnet18(weights=True)


def imagenet_categories():
    return list(ResNet18_Weights.DEFAULT.meta["categories"])
