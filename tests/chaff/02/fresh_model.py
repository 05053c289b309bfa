"""Builds a new resnet18 with the right number of classes: the head fits, the backbone is random."""

GOTCHA = r"backbone differ.*different model"

from torchvision.models import resnet18


def swap_head(model, num_classes):
    return resnet18(num_classes=num_classes)
