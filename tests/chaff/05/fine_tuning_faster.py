"""Gives fine-tuning a larger rate (1e-2) "to move the big network", which erases what it learned."""

GOTCHA = r"erase the pretrained features"

import torch
from torch import nn

LEARNING_RATES = {"feature_extraction": 1e-3, "fine_tuning": 1e-2}


def configure(model, num_classes, mode):
    if mode not in LEARNING_RATES:
        raise ValueError(f"unknown mode {mode!r}")
    if mode == "feature_extraction":
        for param in model.parameters():
            param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=LEARNING_RATES[mode])
