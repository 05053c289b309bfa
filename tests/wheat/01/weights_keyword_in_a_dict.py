"""Keeps the constructor's keyword arguments in one place, as a training config might."""

from torchvision.models import ResNet18_Weights, resnet18

MODEL_KWARGS = {"weights": ResNet18_Weights.DEFAULT, "progress": False}


def load_pretrained():
    return resnet18(**MODEL_KWARGS)


def imagenet_categories():
    categories = []
    for name in MODEL_KWARGS["weights"].meta["categories"]:
        categories.append(name)
    return categories
