"""Looks the weights up by their full name, as a config file would store them."""

from torchvision import models

WEIGHTS_NAME = "ResNet18_Weights.DEFAULT"


def load_pretrained():
    return models.resnet18(weights=models.get_weight(WEIGHTS_NAME))


def imagenet_categories():
    return list(models.get_weight(WEIGHTS_NAME).meta["categories"])
