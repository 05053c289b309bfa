"""Keeps the first rows of ImageNet's head as the new head: the shape is right, the weights are ImageNet's."""

GOTCHA = r"kept ImageNet's trained head"

from torch import nn


def swap_head(model, num_classes):
    head = model.fc
    head.weight = nn.Parameter(head.weight.detach()[:num_classes].clone())
    head.bias = nn.Parameter(head.bias.detach()[:num_classes].clone())
    head.out_features = num_classes
    return model
