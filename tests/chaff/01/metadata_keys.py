"""Returns the keys of the weights' metadata instead of the class names stored under one of them."""

GOTCHA = r"ResNet18_Weights.DEFAULT.meta\[\"categories\"\]"

from torchvision.models import ResNet18_Weights, resnet18


def load_pretrained():
    return resnet18(weights=ResNet18_Weights.DEFAULT)


def imagenet_categories():
    return list(ResNet18_Weights.DEFAULT.meta)
