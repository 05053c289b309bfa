"""Rejects an unknown mode with ValueError, but its message does not say which modes exist."""

GOTCHA = r"raised ValueError\('invalid mode'\), which does\s+not name 'feature_extraction' or 'fine_tuning'"

import torch
from torch import nn

LEARNING_RATES = {"feature_extraction": 1e-3, "fine_tuning": 1e-4}


def configure(model, num_classes, mode):
    if mode not in LEARNING_RATES:
        raise ValueError("invalid mode")
    if mode == "feature_extraction":
        model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=LEARNING_RATES[mode])
