"""Calls model.eval() believing it freezes the backbone: it only changes how BatchNorm behaves."""

GOTCHA = r"model.eval\(\) freezes nothing"

from torch import nn


def feature_extractor(model, num_classes):
    model.eval()
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
