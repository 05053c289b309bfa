"""Puts the new head on the device the backbone lives on, then moves the whole model there."""

import torch
from torch import nn


def swap_head(model, num_classes):
    device = next(model.parameters()).device
    model.fc = nn.Linear(model.fc.in_features, num_classes).to(device)
    return model.to(device)
