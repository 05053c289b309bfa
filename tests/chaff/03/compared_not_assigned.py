"""Writes `==` where `=` was meant: each line compares the flag and throws the answer away."""

GOTCHA = r"^60 backbone params still require grad: conv1.weight.*None of them was frozen.*only compares"

from torch import nn


def feature_extractor(model, num_classes):
    for param in model.parameters():
        param.requires_grad == False  # noqa: E712 (the mistake this chaff makes)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
