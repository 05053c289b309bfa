"""Rebuilds `classifier` as dropout plus a new Linear: right for mobilenet_v2, not for the rest."""

GOTCHA = r"On mobilenet_v3_small, swap_classifier replaced more than the final layer.*Hardswish"

from torch import nn


def swap_classifier(model, num_classes):
    if hasattr(model, "fc"):
        model.fc = nn.Linear(model.fc.in_features, num_classes)
        return model
    old = model.classifier[-1]
    model.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(old.in_features, num_classes))
    return model
