"""Returns the pretrained model already in eval mode, ready for inference; the weights are the same."""

import torchvision


def load_pretrained():
    weights = torchvision.models.ResNet18_Weights.DEFAULT
    return torchvision.models.resnet18(weights=weights).eval()


def imagenet_categories():
    meta = torchvision.models.ResNet18_Weights.DEFAULT.meta
    return list(meta["categories"])
