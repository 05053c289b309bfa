"""Builds a new resnet18 with the right number of classes: the head fits, the backbone is random."""

GOTCHA = r"returned a different ResNet object from the model it was given: a copy, or a model built inside"

from torchvision.models import resnet18


def swap_head(model, num_classes):
    return resnet18(num_classes=num_classes)
