"""Uses Adam's fused kernel and a generator of the params that train."""

import torch
from torch import nn


def configure(model, num_classes, mode):
    rates = {"feature_extraction": 2e-3, "fine_tuning": 1e-4}
    if mode not in rates:
        raise ValueError(f"unknown mode {mode!r} (valid: 'feature_extraction', 'fine_tuning')")
    if mode == "feature_extraction":
        model.apply(lambda m: m.requires_grad_(False))
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, torch.optim.Adam((p for p in model.parameters() if p.requires_grad), lr=rates[mode], fused=True)
