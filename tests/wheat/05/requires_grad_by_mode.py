"""Sets every flag from the mode in one call, then lets the filter pick what trains."""

import torch
from torch import nn

MODES = ("feature_extraction", "fine_tuning")


def configure(model, num_classes, mode):
    if mode not in MODES:
        raise ValueError(f"{mode!r} is not a mode; choose from {', '.join(MODES)}")
    model.requires_grad_(mode == "fine_tuning")
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    lr = 1e-3 if mode == "feature_extraction" else 1e-4
    return model, torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=lr)
