"""Swaps the head and forgets to freeze: the whole network trains (full fine-tuning by accident)."""

GOTCHA = r"^60 backbone params still require grad: conv1.weight.*None of them was frozen"

from torch import nn


def feature_extractor(model, num_classes):
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
