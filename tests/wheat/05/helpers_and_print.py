"""Small named helpers for each step, and a line that says what will train."""

import torch
from torch import nn

FEATURE_EXTRACTION, FINE_TUNING = "feature_extraction", "fine_tuning"


def freeze(model: nn.Module) -> None:
    for param in model.parameters():
        param.requires_grad = False


def new_head(model: nn.Module, num_classes: int) -> None:
    model.fc = nn.Linear(model.fc.in_features, num_classes)


def configure(model, num_classes, mode):
    if mode not in (FEATURE_EXTRACTION, FINE_TUNING):
        raise ValueError(f"mode={mode!r}: use {FEATURE_EXTRACTION!r} or {FINE_TUNING!r}")
    if mode == FEATURE_EXTRACTION:
        freeze(model)
    new_head(model, num_classes)
    params = [p for p in model.parameters() if p.requires_grad]
    lr = 1e-3 if mode == FEATURE_EXTRACTION else 1e-4
    print(f"{mode}: {sum(p.numel() for p in params):,} params at lr={lr:g}")
    return model, torch.optim.Adam(params, lr=lr)
