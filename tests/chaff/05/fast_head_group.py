"""Fine-tunes with two param groups: a slow backbone, but the head keeps feature extraction's 1e-3."""

GOTCHA = r"Fine-tuning uses lr=0.001 \(the param group holding fc.weight, fc.bias\), as high as feature extraction's"

import torch
from torch import nn


def configure(model, num_classes, mode):
    if mode not in ("feature_extraction", "fine_tuning"):
        raise ValueError(f"unknown mode {mode!r}: use 'feature_extraction' or 'fine_tuning'")
    if mode == "feature_extraction":
        model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    if mode == "feature_extraction":
        return model, torch.optim.Adam(model.fc.parameters(), lr=1e-3)
    backbone = [p for name, p in model.named_parameters() if not name.startswith("fc.")]
    return model, torch.optim.Adam([
        {"params": backbone, "lr": 1e-5},
        {"params": model.fc.parameters(), "lr": 1e-3},
    ])
