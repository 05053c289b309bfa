"""Uses the pre-0.13 spelling `pretrained=True`, which loads the same weights with a warning."""

GOTCHA = "deprecated `pretrained=True`"

from torchvision.models import ResNet18_Weights, resnet18


def load_pretrained():
    return resnet18(pretrained=True)


def imagenet_categories():
    return list(ResNet18_Weights.DEFAULT.meta["categories"])
