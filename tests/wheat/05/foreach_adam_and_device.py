"""Picks a device, moves the model there and uses Adam's foreach implementation; rates 3e-4 and 3e-5."""

import torch
from torch import nn

DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
RATES = {"feature_extraction": 3e-4, "fine_tuning": 3e-5}


def configure(model, num_classes, mode):
    try:
        lr = RATES[mode]
    except KeyError:
        raise ValueError(f"unknown mode {mode!r}: expected one of {list(RATES)}") from None
    if mode == "feature_extraction":
        for _, param in model.named_parameters():
            param.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    model.to(DEVICE)
    trainable = [p for p in model.parameters() if p.requires_grad]
    return model, torch.optim.Adam(trainable, lr=lr, foreach=True)
