"""Swaps the head first and freezes afterwards: the freeze loop catches the new head too."""

GOTCHA = r"^0 trainable parameters: the head was frozen too"

from torch import nn


def feature_extractor(model, num_classes):
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    for param in model.parameters():
        param.requires_grad = False
    return model
