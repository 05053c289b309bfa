"""Treats anything that is not "feature_extraction" as fine-tuning, so a typo passes silently."""

GOTCHA = r"went ahead without complaint.*raise ValueError"

import torch
from torch import nn


def configure(model, num_classes, mode):
    if mode == "feature_extraction":
        for param in model.parameters():
            param.requires_grad = False
        lr = 1e-3
    else:
        lr = 1e-4
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)
