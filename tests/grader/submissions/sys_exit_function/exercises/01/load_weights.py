import sys

from torchvision.models import ResNet18_Weights


def load_pretrained():
    sys.exit(3)


def imagenet_categories():
    return list(ResNet18_Weights.DEFAULT.meta["categories"])
