"""One table says everything that differs between the modes: whether to freeze, and the rate."""

import torch
from torch import nn

SETTINGS = {
    "feature_extraction": {"freeze": True, "lr": 1e-3},
    "fine_tuning": {"freeze": False, "lr": 1e-4},
}


def configure(model, num_classes, mode):
    if mode not in SETTINGS:
        raise ValueError(f"mode must be one of {sorted(SETTINGS)}, got {mode!r}")
    settings = SETTINGS[mode]
    if settings["freeze"]:
        model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    group = {"params": [p for p in model.parameters() if p.requires_grad], "lr": settings["lr"]}
    return model, torch.optim.Adam([group])
