"""Pins the weights by their version name, IMAGENET1K_V1, which DEFAULT points at today."""

from torchvision.models import ResNet18_Weights, resnet18

WEIGHTS = ResNet18_Weights.IMAGENET1K_V1


def load_pretrained():
    model = resnet18(weights=WEIGHTS, progress=False)
    print(f"loaded resnet18 with {WEIGHTS}")
    return model


def imagenet_categories():
    return WEIGHTS.meta["categories"].copy()
