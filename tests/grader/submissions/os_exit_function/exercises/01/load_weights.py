import os

from torchvision.models import ResNet18_Weights


def load_pretrained():
    os._exit(1)


def imagenet_categories():
    return list(ResNet18_Weights.DEFAULT.meta["categories"])
