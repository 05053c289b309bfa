"""Builds the new layer on the old layer's device and dtype, so a model already on a GPU stays there."""

import torch
from torch import nn


def swap_classifier(model: nn.Module, num_classes: int) -> nn.Module:
    name, old = next((n, m) for n, m in reversed(list(model.named_modules())) if isinstance(m, nn.Linear)) \
        if any(isinstance(m, nn.Linear) for m in model.modules()) \
        else next((n, m) for n, m in reversed(list(model.named_modules())) if isinstance(m, nn.Conv2d))
    where = {"device": old.weight.device, "dtype": old.weight.dtype}
    if isinstance(old, nn.Linear):
        new = nn.Linear(old.in_features, num_classes, **where)
    else:
        new = nn.Conv2d(old.in_channels, num_classes, kernel_size=1, **where)
    with torch.no_grad():
        model.set_submodule(name, new)
    return model
