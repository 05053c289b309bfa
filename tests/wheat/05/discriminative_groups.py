"""Fine-tunes with two param groups, the head a little faster than the backbone, both within the band."""

import torch
from torch import nn


def configure(model, num_classes, mode):
    if mode == "feature_extraction":
        model.requires_grad_(False)
        model.fc = nn.Linear(model.fc.in_features, num_classes)
        return model, torch.optim.Adam(model.fc.parameters(), lr=1e-3)
    if mode == "fine_tuning":
        model.fc = nn.Linear(model.fc.in_features, num_classes)
        backbone = [p for name, p in model.named_parameters() if not name.startswith("fc.")]
        return model, torch.optim.Adam([
            {"params": backbone, "lr": 1e-5},
            {"params": list(model.fc.parameters()), "lr": 1e-4},
        ])
    raise ValueError(f"unknown mode {mode!r}: use 'feature_extraction' or 'fine_tuning'")
