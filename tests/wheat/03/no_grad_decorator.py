"""Does the surgery under torch.no_grad(): harmless, since creating a layer records no graph."""

import torch
from torch import nn


@torch.no_grad()
def feature_extractor(model: nn.Module, num_classes: int) -> nn.Module:
    for param in model.parameters():
        param.requires_grad = False
    width = model.fc.in_features
    model.fc = nn.Linear(width, num_classes)
    return model
